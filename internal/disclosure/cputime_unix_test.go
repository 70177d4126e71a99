//go:build unix

package disclosure

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used (user and system): on
// a shared machine it shows the work a benchmark does, where wall time
// also counts waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
