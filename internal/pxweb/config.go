package pxweb

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// The limits assumed when the server does not state its own (SSB's
// documented limits: 800 000 cells per extract, 30 calls per 60 s per IP).
const (
	DefaultMaxCells = 800_000
	DefaultMaxCalls = 30
	DefaultWindow   = 60 * time.Second
)

// Config is the server's /config answer.
type Config struct {
	APIVersion      string     `json:"apiVersion"`
	AppVersion      string     `json:"appVersion"`
	Languages       []Language `json:"languages"`
	DefaultLanguage string     `json:"defaultLanguage"`
	MaxDataCells    int        `json:"maxDataCells"`
	// MaxCallsPerTimeWindow calls are allowed per TimeWindow seconds. Zero
	// means the server does not say (the reference server's "no rule").
	MaxCallsPerTimeWindow int      `json:"maxCallsPerTimeWindow"`
	TimeWindow            int      `json:"timeWindow"`
	License               string   `json:"license"`
	DefaultDataFormat     string   `json:"defaultDataFormat"`
	DataFormats           []string `json:"dataFormats"`
}

// Language is one language the server offers.
type Language struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Limits are what the client keeps within.
type Limits struct {
	MaxCells int           // cells in one data response
	MaxCalls int           // calls per Window
	Window   time.Duration // the rate limit's sliding window
}

// DefaultLimits returns the limits assumed when the server states none.
func DefaultLimits() Limits {
	return Limits{MaxCells: DefaultMaxCells, MaxCalls: DefaultMaxCalls, Window: DefaultWindow}
}

// Limits returns the limits the configuration states, with the defaults in
// place of what it leaves unknown (zero).
func (c Config) Limits() Limits {
	return Limits{
		MaxCells: c.MaxDataCells,
		MaxCalls: c.MaxCallsPerTimeWindow,
		Window:   time.Duration(c.TimeWindow) * time.Second,
	}.withDefaults()
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	// A call count without a window (or the reverse) says nothing.
	if l.MaxCalls <= 0 || l.Window <= 0 {
		l.MaxCalls, l.Window = d.MaxCalls, d.Window
	}
	return l
}

// Config fetches GET /config. The call is not counted by the rate limiter
// (the reference server exempts it).
func (c *Client) Config(ctx context.Context) (Config, error) {
	body, err := c.do(ctx, call{method: "GET", path: "/config", exempt: true})
	if err != nil {
		return Config{}, err
	}
	var cfg Config
	if err := json.Unmarshal(body, &cfg); err != nil {
		return Config{}, fault.E(fault.Invalid, fmt.Errorf("decode %s: %w", c.base+"/config", err))
	}
	return cfg, nil
}

// Limits returns the limits the client keeps within: Options.Limits when
// set, else the server's /config (read once), else DefaultLimits when
// /config fails. It fails only when ctx ends.
func (c *Client) Limits(ctx context.Context) (Limits, error) {
	select {
	case c.limitsMu <- struct{}{}:
	case <-ctx.Done():
		return Limits{}, ctx.Err()
	}
	defer func() { <-c.limitsMu }()
	if c.limitsSet {
		return c.limits, nil
	}
	cfg, err := c.Config(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return Limits{}, ctx.Err()
		}
		c.limits = DefaultLimits()
		c.log.Warn("pxweb: /config failed; using default limits",
			"err", err, "maxCells", c.limits.MaxCells, "maxCalls", c.limits.MaxCalls, "window", c.limits.Window)
	} else {
		c.limits = cfg.Limits()
		c.log.Debug("pxweb: limits from /config",
			"maxCells", c.limits.MaxCells, "maxCalls", c.limits.MaxCalls, "window", c.limits.Window)
	}
	c.limitsSet = true
	c.limiter.set(c.limits.MaxCalls, c.limits.Window)
	return c.limits, nil
}
