// vega-loader pulls in node-fetch, whose `punycode` import makes Node's compatibility layer print
// a DeprecationWarning to stderr; in a notebook that lands in the first chart cell's output. This
// module is imported before vega so the flag is set before vega's modules are evaluated.
import process from "node:process";

(process as unknown as { noDeprecation: boolean }).noDeprecation = true;
