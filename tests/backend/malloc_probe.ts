/**
 * Run by malloc_test.ts in a fresh process: after matcalc's first product, prints how many
 * chunks glibc's malloc maps on their own (`mallinfo2().hblks`) before and after allocating a
 * 1 MB Float64Array, as JSON `[before, after]`.
 *
 * @module
 */
import { matmul, tensor } from "../../lib/mod.ts";

const libc = Deno.dlopen("libc.so.6", {
  mallinfo2: { parameters: [], result: { struct: Array(10).fill("usize") } },
});
// struct mallinfo2 { arena, ordblks, smblks, hblks, hblkhd, … }: hblks is the fourth size_t.
const hblks = () => Number(new BigUint64Array(libc.symbols.mallinfo2().buffer)[3]);
matmul(tensor([[1]]), tensor([[1]]));
const before = hblks();
const keep = new Float64Array(2 ** 17);
const after = hblks();
console.log(JSON.stringify([before, after, keep.length]));
libc.close();
