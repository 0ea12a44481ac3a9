#ifndef GATEHOUSE_CLINUXSHIMS_H
#define GATEHOUSE_CLINUXSHIMS_H
#include <stdint.h>
static inline int gh_shims_version(void) { return 1; }
#endif
