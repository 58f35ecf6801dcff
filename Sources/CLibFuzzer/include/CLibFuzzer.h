#ifndef CLICKTRAIL_CLIBFUZZER_H
#define CLICKTRAIL_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point for programs that have their own main (LLVM 12 and later). It
   parses the libFuzzer flags in argc/argv and calls `callback` with each input. The symbol
   is only present when libclang_rt.fuzzer_no_main is linked, as scripts/fuzz does. */
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));

#endif
