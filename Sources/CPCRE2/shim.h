#ifndef CLICKTRAIL_CPCRE2_SHIM_H
#define CLICKTRAIL_CPCRE2_SHIM_H

/* pcre2.h declares every function once per code unit width and maps the generic names
   (pcre2_compile, ...) to the chosen width with macros, which Swift cannot call. Clicktrail
   matches UTF-8 text, so it picks the 8-bit library and calls it through these wrappers. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* PCRE2_UNSET marks a capture group that took no part in the match. It is a cast
   expression, which Swift does not import, and Swift reads size_t as a signed Int. */
static inline int ct_pcre2_is_unset(PCRE2_SIZE offset) {
  return offset == PCRE2_UNSET;
}

static inline pcre2_code *ct_pcre2_compile(
    const uint8_t *pattern, size_t length, uint32_t options, int *error_code,
    size_t *error_offset) {
  return pcre2_compile(pattern, length, options, error_code, error_offset, NULL);
}

static inline int ct_pcre2_jit_compile(pcre2_code *code) {
  return pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
}

static inline void ct_pcre2_code_free(pcre2_code *code) {
  pcre2_code_free(code);
}

/* Returns the number of capture groups in the pattern. */
static inline uint32_t ct_pcre2_capture_count(const pcre2_code *code) {
  uint32_t count = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &count);
  return count;
}

/* Writes the message for a PCRE2 error code into `buffer`; returns its length or a
   negative error code. */
static inline int ct_pcre2_error_message(int error_code, uint8_t *buffer, size_t size) {
  return pcre2_get_error_message(error_code, buffer, size);
}

static inline pcre2_match_data *ct_pcre2_match_data_create(uint32_t pair_count) {
  return pcre2_match_data_create(pair_count, NULL);
}

static inline void ct_pcre2_match_data_free(pcre2_match_data *match_data) {
  pcre2_match_data_free(match_data);
}

static inline PCRE2_SIZE *ct_pcre2_ovector(pcre2_match_data *match_data) {
  return pcre2_get_ovector_pointer(match_data);
}

/* Matches `subject` from its start; returns 1 + the highest group set, PCRE2_ERROR_NOMATCH
   or another negative error code. */
static inline int ct_pcre2_match(
    const pcre2_code *code, const uint8_t *subject, size_t length, uint32_t options,
    pcre2_match_data *match_data) {
  return pcre2_match(code, subject, length, 0, options, match_data, NULL);
}

#endif
