#ifndef LOOKOUT_CCURL_SHIM_H
#define LOOKOUT_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt/getinfo are variadic: Swift needs one typed wrapper per argument type.
static inline CURLcode lookout_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lookout_curl_set_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lookout_curl_set_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode lookout_curl_set_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*lookout_curl_write_fn)(char *, size_t, size_t, void *);
static inline CURLcode lookout_curl_set_write_function(CURL *h, CURLoption o, lookout_curl_write_fn f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode lookout_curl_get_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
#endif
