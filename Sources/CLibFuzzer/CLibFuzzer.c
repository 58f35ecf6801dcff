/* Declarations only: SwiftPM needs one source file in a C target. */
#include "CLibFuzzer.h"
