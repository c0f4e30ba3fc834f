#ifndef LOOKOUT_CMONGOC_SHIM_H
#define LOOKOUT_CMONGOC_SHIM_H
#include <mongoc/mongoc.h>

// bson_error_t.message imports as a tuple: hand Swift a pointer instead.
static inline const char *lookout_bson_error_message(const bson_error_t *error) { return error->message; }

// libmongoc's default handler prints debug chatter (server monitoring) to stderr: keep warnings and worse.
static inline void lookout_mongoc_log_warnings(mongoc_log_level_t level, const char *domain, const char *message, void *data) {
    if (level <= MONGOC_LOG_LEVEL_WARNING) mongoc_log_default_handler(level, domain, message, data);
}
static inline void lookout_mongoc_install_log_handler(void) { mongoc_log_set_handler(lookout_mongoc_log_warnings, NULL); }
#endif
