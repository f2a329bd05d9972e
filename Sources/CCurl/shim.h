// libcurl for eg-ship's https transport. curl_easy_setopt and curl_easy_getinfo are variadic,
// which Swift cannot call, so typed wrappers are declared here.
#include <curl/curl.h>

typedef size_t (*eg_curl_write_fn)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode eg_curl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

static inline CURLcode eg_curl_set_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode eg_curl_set_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode eg_curl_set_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }

static inline CURLcode eg_curl_set_write(CURL *h, CURLoption o, eg_curl_write_fn f) { return curl_easy_setopt(h, o, f); }

static inline CURLcode eg_curl_response_code(CURL *h, long *code) { return curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code); }

typedef int (*eg_curl_xferinfo_fn)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode eg_curl_set_xferinfo(CURL *h, eg_curl_xferinfo_fn f) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f); }
