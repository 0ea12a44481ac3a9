// Everything is in include/CByteScan.h (static inline, so it inlines into
// Swift); SwiftPM needs one source file per C target.
#include "CByteScan.h"
