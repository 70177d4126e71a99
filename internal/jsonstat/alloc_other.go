//go:build !linux

package jsonstat

// allocValues returns n zero values for a dataset's cells.
func allocValues(n int) []float64 { return make([]float64, n) }
