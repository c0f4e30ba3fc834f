#ifndef LOOKOUT_CMONGOC_SHIM_H
#define LOOKOUT_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>

// bson_error_t.message imports as a tuple: hand Swift a pointer instead.
static inline const char *lookout_bson_error_message(const bson_error_t *error) { return error->message; }
#endif
