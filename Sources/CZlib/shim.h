#ifndef CLICKTRAIL_CZLIB_SHIM_H
#define CLICKTRAIL_CZLIB_SHIM_H

#include <zlib.h>

/* zlib's init entry points are macros that pass the library version and the
   stream size; Swift cannot call macros, so these wrappers do it. */
static inline int ct_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel) {
  return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}

static inline int ct_inflateInit2(z_streamp strm, int windowBits) {
  return inflateInit2(strm, windowBits);
}

#endif
