#ifndef CLICKTRAIL_CLIBDEFLATE_SHIM_H
#define CLICKTRAIL_CLIBDEFLATE_SHIM_H

#include <libdeflate.h>

#endif
