/*
 * The text repro format: one call per line, for humans, diffs, repro files and inline
 * snapshots (syzkaller-style). Lossless: parseText(printText(t)) deep-equals t.
 *
 *   file       := line*                      (lines end in "\n"; surrounding blanks ignored)
 *   line       := blank | comment | directive | call
 *   comment    := "#" not followed by "!", then anything
 *   directive  := "#! vpdma-trace v" VERSION [" profile=" ("docs" | "reactos")] [comment]
 *               | "#! device " JSON           (the header's device, JSONL spelling; optional)
 *               | "#! meta " JSON             (the header's meta; optional)
 *                 The vpdma-trace line first; directives come before the first call.
 *                 docs/text-format.md is the user's reference.
 *   call       := [NAME " = "] FN "(" [field ("," field)*] ")" [" -> " value]
 *                 [" out(" [field ("," field)*] ")"] [comment]
 *   field      := IDENT "=" value
 *   value      := HEX | DEC | "true" | "false" | BYTES | struct | list | ref | def
 *   struct     := "{" [field ("," field)*] "}"
 *   list       := "[" [value ("," value)*] "]"
 *   ref        := NAME ["+" HEX]             (a produced value, or an address inside its range)
 *   def        := "<" NAME "=>" HEX          (names a produced value in ret/out)
 *   NAME       := "r" [0-9]+     FN := "@"? IDENT     IDENT := [A-Za-z_][A-Za-z0-9_]*
 *   HEX        := "0x" [0-9a-fA-F]+          DEC := "-"? [0-9]+ (a safe integer)
 *   BYTES      := 'x"' ([0-9a-fA-F][0-9a-fA-F])* '"'
 *
 * Values print by declared type: ptr and u64 in hex, other integers in decimal (i64 signed,
 * or its 64-bit pattern in hex beyond 2^53), NULL structures as 0x0. `-> value` is present
 * exactly when the call records a return, `out(...)` exactly when it records out-parameters.
 * A produced value (table: ret/out `produces`, `fieldProduces`) that a later call consumes
 * is named at its first appearance: `rN = Fn(...) -> 0x...` for a return, `<rN=>0x...`
 * inside out(...). Later arguments equal to it print as `rN`, addresses inside its range
 * (extent from Produces.extent) as `rN+0x10`. Names are numbered in file order.
 *
 *   #! vpdma-trace v1 profile=docs
 *   r0 = VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription=
 *        {scatterGather=true, ...}) -> 0xffffc00000000010           (one line in a file)
 *   VideoPortAllocateCommonBuffer(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r0,
 *        desiredLength=4096, cacheEnabled=true, reserved=0x0) -> 0xffffa00000004000
 *        out(logicalAddress=0x1f000)
 */
export { printText, printCall, printTextHeader } from './textPrint.js';
export { parseText, readTextCalls, TextLineDecoder } from './textParse.js';
