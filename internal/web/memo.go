package web

import (
	"sync"
)

// memo keeps parts of answers made from inputs that never change: a
// closed round's profile, aggregates page and API answer, keyed by the
// identity of what they were made from (the survey service hands out the
// same *Aggregates, and the same kept profile, until it computes them
// anew). A new identity makes a new entry; the old ones are forgotten
// oldest first once the memo holds more than maxBytes. Keys must be
// comparable and hold no request input besides what the handler checked
// (a group kind from a fixed list), so nobody can fill the memo with
// copies.
type memo struct {
	mu       sync.Mutex
	m        map[any][]byte
	order    []any // insertion order, for forgetting the oldest
	bytes    int64
	maxBytes int64
}

func newMemo(maxBytes int64) *memo {
	return &memo{m: map[any][]byte{}, maxBytes: maxBytes}
}

// get returns the bytes kept for key.
func (c *memo) get(key any) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[key]
	return b, ok
}

// put keeps b for key; b must not change afterwards. A part larger than
// a quarter of the memo is not kept.
func (c *memo) put(key any, b []byte) {
	n := int64(len(b))
	if n > c.maxBytes/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; ok {
		return
	}
	for c.bytes+n > c.maxBytes && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= int64(len(c.m[old]))
		delete(c.m, old)
	}
	c.m[key] = b
	c.order = append(c.order, key)
	c.bytes += n
}

// remember returns the bytes kept for key, or makes them with make and
// keeps them. Two requests at once may both make them; the first kept
// wins.
func (c *memo) remember(key any, make func() ([]byte, error)) ([]byte, error) {
	if b, ok := c.get(key); ok {
		return b, nil
	}
	b, err := make()
	if err != nil {
		return nil, err
	}
	c.put(key, b)
	return b, nil
}
