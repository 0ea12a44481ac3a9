#if canImport(Glibc)
import Glibc
#endif

func usleepShim(_ micros: UInt32) { usleep(micros) }
