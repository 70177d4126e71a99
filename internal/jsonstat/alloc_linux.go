//go:build linux

package jsonstat

import (
	"syscall"
	"unsafe"
)

// hugeAdviceBytes is the size from which allocValues asks for huge pages.
const hugeAdviceBytes = 8 << 20

// allocValues returns n zero values for a dataset's cells. A large table's
// values are written once, front to back, right after this; with 4 KiB
// pages every 512 cells cost a page fault, which on a virtual machine
// takes longer than parsing them (the greater part of a 120 MB decode
// here). So a large allocation asks the kernel for transparent huge pages
// (MADV_HUGEPAGE, honoured where THP is "madvise" or "always"). It is a
// hint: any error is ignored and the memory is the same.
func allocValues(n int) []float64 {
	vals := make([]float64, n)
	if n*8 >= hugeAdviceBytes {
		b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(vals))), n*8)
		_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	}
	return vals
}
