#ifndef CLICKTRAIL_CMICROHTTPD_SHIM_H
#define CLICKTRAIL_CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <microhttpd.h>

/* libmicrohttpd takes its options as a variadic list, which Swift cannot call. These
   wrappers pass the options that Clicktrail sets. */

/* Starts a daemon on `address`. A key and certificate in PEM (both non-NULL) turn on TLS. */
static inline struct MHD_Daemon *ct_mhd_start(
    unsigned int flags, const struct sockaddr *address, unsigned int connection_limit,
    unsigned int per_ip_limit, unsigned int timeout_seconds, unsigned int thread_pool_size,
    size_t memory_limit, const char *tls_key_pem, const char *tls_cert_pem,
    MHD_AccessHandlerCallback handler, void *handler_context,
    MHD_RequestCompletedCallback completed, void *completed_context) {
  if (tls_key_pem != NULL && tls_cert_pem != NULL) {
    return MHD_start_daemon(
        flags | MHD_USE_TLS, 0, NULL, NULL, handler, handler_context,
        MHD_OPTION_SOCK_ADDR, address,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
        MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
        MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
        MHD_OPTION_HTTPS_MEM_KEY, tls_key_pem,
        MHD_OPTION_HTTPS_MEM_CERT, tls_cert_pem,
        MHD_OPTION_END);
  }
  return MHD_start_daemon(
      flags, 0, NULL, NULL, handler, handler_context,
      MHD_OPTION_SOCK_ADDR, address,
      MHD_OPTION_CONNECTION_LIMIT, connection_limit,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip_limit,
      MHD_OPTION_CONNECTION_TIMEOUT, timeout_seconds,
      MHD_OPTION_THREAD_POOL_SIZE, thread_pool_size,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory_limit,
      MHD_OPTION_NOTIFY_COMPLETED, completed, completed_context,
      MHD_OPTION_END);
}

/* Returns the port the daemon listens on, or 0. */
static inline uint16_t ct_mhd_bound_port(struct MHD_Daemon *daemon) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  return info == NULL ? 0 : info->port;
}

/* Returns the client's socket address, or NULL. */
static inline const struct sockaddr *ct_mhd_client_address(struct MHD_Connection *connection) {
  const union MHD_ConnectionInfo *info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return info == NULL ? NULL : info->client_addr;
}

#endif
