import { assertEquals, assertNotStrictEquals, assertThrows } from "@std/assert";
import {
  arange,
  getPrintOptions,
  grad,
  reshape,
  setPrintOptions,
  sum,
  tensor,
  ValueError,
  withPrintOptions,
} from "matcalc";

// Expected strings were checked against numpy.array2string(a, max_line_width, separator=", ",
// prefix="Tensor(", suffix=")") for the integer cases: the same wrapping, character for character.

Deno.test("Tensor.toString() wraps rows at the line width, as NumPy", async (t) => {
  await t.step(
    "a long vector continues under its first number; the shape moves down when full",
    () => {
      assertEquals(
        String(arange(30)),
        "Tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,\n" +
          "        16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],\n" +
          "       shape=[30])",
      );
    },
  );
  await t.step("each row of a matrix wraps on its own", () => {
    assertEquals(
      String(reshape(arange(40), [2, 20])),
      "Tensor([[ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15,\n" +
        "         16, 17, 18, 19],\n" +
        "        [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n" +
        "         36, 37, 38, 39]], shape=[2, 20])",
    );
  });
  await t.step("the shape takes a line of its own when the last one is full", () => {
    assertEquals(
      withPrintOptions({ lineWidth: 20 }, () => String(arange(8))),
      "Tensor([0, 1, 2, 3,\n        4, 5, 6, 7],\n       shape=[8])",
    );
  });
  await t.step("short rows and scalars are unchanged", () => {
    assertEquals(
      String(tensor([[1, 2], [3, 4]])),
      "Tensor([[1, 2],\n        [3, 4]], shape=[2, 2])",
    );
    assertEquals(String(tensor(2.5)), "Tensor(2.5, shape=[])");
  });
  await t.step("traced tensors wrap the same way", () => {
    let seen = "";
    grad((x) => {
      seen = withPrintOptions({ lineWidth: 20 }, () => String(x));
      return sum(x);
    }, arange(6));
    assertEquals(seen, "Tensor([0, 1, 2, 3,\n        4, 5],\n       shape=[6], traced)");
  });
});

Deno.test("setPrintOptions() / getPrintOptions() / withPrintOptions()", async (t) => {
  await t.step("defaults are NumPy's, with 4 decimals", () => {
    assertEquals(getPrintOptions(), {
      precision: 4,
      lineWidth: 75,
      threshold: 1000,
      edgeItems: 3,
    });
  });
  await t.step("precision: decimals of non-integers; the digits rules still apply", () => {
    const x = tensor([1 / 3, 2 / 3]);
    const old = setPrintOptions({ precision: 2 });
    try {
      assertEquals(String(x), "Tensor([0.33, 0.67], shape=[2])");
      assertEquals(String(tensor([0.25, 1])), "Tensor([0.25, 1.00], shape=[2])");
      // Magnitudes more than 1000 apart still switch to scientific notation.
      assertEquals(String(tensor([1e-4, 1])), "Tensor([1.00e-4, 1.00e+0], shape=[2])");
    } finally {
      setPrintOptions(old);
    }
    assertEquals(String(x), "Tensor([0.3333, 0.6667], shape=[2])");
  });
  await t.step("threshold and edgeItems: when and how much to summarize", () => {
    assertEquals(
      withPrintOptions({ threshold: 10, edgeItems: 1 }, () => String(reshape(arange(16), [4, 4]))),
      "Tensor([[ 0, …,  3],\n        …,\n        [12, …, 15]], shape=[4, 4])",
    );
    assertEquals(
      withPrintOptions({ threshold: 5, edgeItems: 2 }, () => String(arange(10))),
      "Tensor([0, 1, …, 8, 9], shape=[10])",
    );
    const long = arange(2000);
    assertEquals(String(long).includes("…"), true);
    assertEquals(
      withPrintOptions({ threshold: Infinity }, () => String(long).includes("…")),
      false,
    );
  });
  await t.step("withPrintOptions restores the options, also when fn throws", async () => {
    const before = getPrintOptions();
    assertThrows(
      () =>
        withPrintOptions({ precision: 1 }, () => {
          throw new Error("boom");
        }),
      Error,
      "boom",
    );
    assertEquals(getPrintOptions(), before);
    const p = withPrintOptions({ lineWidth: 40 }, async () => {
      await Promise.resolve();
      return getPrintOptions().lineWidth;
    });
    assertEquals(await p, 40);
    assertEquals(getPrintOptions(), before);
  });
  await t.step("getPrintOptions returns a copy; null restores the defaults", () => {
    const o = getPrintOptions();
    o.precision = 9;
    assertEquals(getPrintOptions().precision, 4);
    const old = setPrintOptions({ lineWidth: 120, edgeItems: 5 });
    assertNotStrictEquals(old, getPrintOptions());
    assertEquals(old, { precision: 4, lineWidth: 75, threshold: 1000, edgeItems: 3 });
    setPrintOptions(null);
    assertEquals(getPrintOptions(), old);
  });
  await t.step("bad options say which and what was given, and change nothing", () => {
    const before = getPrintOptions();
    assertEquals(
      assertThrows(() => setPrintOptions({ precision: -1 }), ValueError).message,
      "setPrintOptions: precision must be an integer in [0, 17], got number -1",
    );
    assertEquals(
      assertThrows(() => setPrintOptions({ lineWidth: 80, edgeItems: 0.5 }), ValueError).message,
      "setPrintOptions: edgeItems must be an integer in [1, 1000], got number 0.5",
    );
    assertEquals(
      assertThrows(() => setPrintOptions({ linewidth: 80 } as never), ValueError).message,
      'setPrintOptions: unknown option "linewidth"; the options are precision, lineWidth, ' +
        "threshold, edgeItems",
    );
    assertThrows(
      () => setPrintOptions({ threshold: "10" as never }),
      ValueError,
      'threshold must be an integer in [0, Infinity] or Infinity (never summarize), got string "10"',
    );
    assertEquals(getPrintOptions(), before);
  });
});
