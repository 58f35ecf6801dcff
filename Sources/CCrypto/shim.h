#ifndef CLICKTRAIL_CCRYPTO_SHIM_H
#define CLICKTRAIL_CCRYPTO_SHIM_H

#include <stddef.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* Computes HMAC-SHA256 of `data` under `key` into `digest` (32 bytes). Returns 1 on success. */
static inline int ct_hmac_sha256(const void *key, int key_length, const unsigned char *data,
                                 size_t data_length, unsigned char *digest) {
  unsigned int digest_length = 0;
  return HMAC(EVP_sha256(), key, key_length, data, data_length, digest, &digest_length) != NULL
         && digest_length == 32;
}

/* Compares `length` bytes in time that does not depend on where they differ. Returns 0
   when equal. */
static inline int ct_constant_time_compare(const void *a, const void *b, size_t length) {
  return CRYPTO_memcmp(a, b, length);
}

#endif
