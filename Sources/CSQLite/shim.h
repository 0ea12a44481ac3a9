#ifndef GATEHOUSE_CSQLITE_SHIM_H
#define GATEHOUSE_CSQLITE_SHIM_H

// The system SQLite (libsqlite3-dev). Only the `Recording` module imports
// this, with `internal import`, so no C type leaks into public API.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro over a cast function pointer that Swift cannot
// import; binds that copy their argument use this instead.
static inline sqlite3_destructor_type gh_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
