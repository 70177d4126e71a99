//go:build !unix

package disclosure

import "time"

// processCPU is not measured on this system; benchmarks report 0.
func processCPU() time.Duration { return 0 }
