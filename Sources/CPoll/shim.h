#ifndef CLICKTRAIL_CPOLL_SHIM_H
#define CLICKTRAIL_CPOLL_SHIM_H

#include <poll.h>
#include <signal.h>
#include <time.h>

/* glibc declares ppoll only under _GNU_SOURCE, which Swift's Glibc module is built without.
   The declaration below is the one in glibc's <poll.h>; ppoll takes its timeout in
   nanoseconds, where poll takes whole milliseconds. */
extern int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout,
                 const sigset_t *sigmask);

/* Waits up to `timeout` for an event on `fds`; returns ppoll's result. */
static inline int ct_ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout) {
  return ppoll(fds, count, timeout, NULL);
}

#endif
