// Vectorscan (Hyperscan API) for the Inspection module. Only Inspection
// imports this module, with `internal import`, so no hs type leaks into
// public Swift API.
#ifndef GATEHOUSE_CHYPERSCAN_H
#define GATEHOUSE_CHYPERSCAN_H
#include <hs/hs.h>
#endif
