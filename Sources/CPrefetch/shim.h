#ifndef CLICKTRAIL_CPREFETCH_SHIM_H
#define CLICKTRAIL_CPREFETCH_SHIM_H

/* Asks the CPU to start loading the cache line at `address` for reading. Swift has no
   prefetch of its own. Being static inline, the function can be inlined into its Swift
   callers in optimized builds. */
static inline void ct_prefetch(const void *address) {
  __builtin_prefetch(address, 0, 3);
}

#endif
