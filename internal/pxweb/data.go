package pxweb

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// Data is a table's data, fetched in one or more parts and merged.
type Data struct {
	// Dataset holds every cell of the table, equal to what one unsplit
	// request would return.
	Dataset *jsonstat.Dataset
	// Bodies are the raw responses, one per part, in fetch order.
	Bodies [][]byte
	// URLs are the request URLs of the parts.
	URLs []string
	// Selections are the POST bodies of parts sent as POST; nil for GET.
	Selections [][]byte
}

// maxTooManyCells bounds how often the server may refuse a part for its
// size before Data gives up; each refusal at least halves the part size.
const maxTooManyCells = 20

// Metadata fetches GET /tables/{id}/metadata: the table's dimensions and
// categories as a JSON-stat dataset without values. It returns the decoded
// dataset and the raw body.
func (c *Client) Metadata(ctx context.Context, id string) (*jsonstat.Dataset, []byte, error) {
	cl := call{
		method: "GET",
		path:   "/tables/" + url.PathEscape(id) + "/metadata",
		query:  url.Values{"lang": {c.lang}, "outputFormat": {"json-stat2"}},
	}
	body, err := c.do(ctx, cl)
	if err != nil {
		return nil, nil, err
	}
	ds, err := DecodeMetadata(body, c.decodeLimits)
	if err != nil {
		return nil, nil, decodeError(id, "GET "+c.base+cl.path, err)
	}
	return ds, body, nil
}

// DecodeMetadata decodes a metadata response within lim: a JSON-stat
// dataset with at least one dimension, each with at least one category,
// and no more cells in all than lim.MaxCells. Errors are fault.Invalid, or
// fault.TooLarge for a table beyond lim.
func DecodeMetadata(body []byte, lim jsonstat.Limits) (*jsonstat.Dataset, error) {
	ds, err := jsonstat.DecodeLimited(body, lim)
	if err != nil {
		return nil, err
	}
	if len(ds.Dimensions) == 0 {
		return nil, fault.Errorf(fault.Invalid, "metadata has no dimensions")
	}
	return ds, nil
}

// decodeError describes a response of table id that did not decode; one
// beyond the decode limits is fault.TooLarge, with a user message that
// names the table.
func decodeError(id, what string, err error) error {
	detail := fmt.Errorf("table %s: decode %s: %w", id, what, err)
	var le *jsonstat.LimitError
	if errors.As(err, &le) {
		return tableTooLarge(id, detail)
	}
	return fault.E(fault.Invalid, detail)
}

// tableTooLarge is the error for a table beyond the client's limits.
func tableTooLarge(id string, detail error) error {
	return fault.WithUser(fault.TooLarge,
		fmt.Sprintf("Tabell %s er større enn grensene grunnlag er satt opp med, og ble ikke hentet.", id), detail)
}

// Data fetches every value of every variable of table id, whose metadata
// is meta. A selection larger than the server's cell limit is fetched in
// parts (split along the largest variable, usually time), and a part the
// server still finds too large is halved. progress, when not nil, is called
// after each part with the parts done and the parts known so far.
func (c *Client) Data(ctx context.Context, id string, meta *jsonstat.Dataset, progress func(done, total int)) (*Data, error) {
	if meta == nil || len(meta.Dimensions) == 0 {
		return nil, fault.Errorf(fault.Invalid, "table %s: metadata has no dimensions", id)
	}
	for _, d := range meta.Dimensions {
		if len(d.Categories) == 0 {
			return nil, fault.Errorf(fault.Invalid, "table %s: dimension %s has no categories", id, d.ID)
		}
	}
	limits, err := c.Limits(ctx)
	if err != nil {
		return nil, err
	}
	ctx = WithRetryBudget(ctx) // all parts share one
	full := fullSelection(meta)
	timeDims := meta.Role.Time
	limit := limits.MaxCells
	// Plan only what is allowed: the table's cells and the number of
	// requests are counted first, without building anything.
	if cells, max := full.cells(), c.decodeLimits.MaxCells; cells > max {
		return nil, tableTooLarge(id, fmt.Errorf("table %s: %s cells, over the limit of %d (MaxCells)", id, cellCount(cells), max))
	}
	if n := full.parts(limit, timeDims); n > c.maxParts {
		return nil, tableTooLarge(id, fmt.Errorf("table %s: %s requests of at most %d cells each, over the limit of %d (MaxParts)",
			id, cellCount(n), limit, c.maxParts))
	}
	queue := full.split(limit, timeDims)
	var parts []part
	refusals := 0
	for len(queue) > 0 {
		s := queue[0]
		if s.cells() > limit {
			queue = append(s.split(limit, timeDims), queue[1:]...)
			continue
		}
		queue = queue[1:]
		p, err := c.fetchPart(ctx, id, s)
		var e *Error
		if errors.As(err, &e) && e.tooManyCells() && refusals < maxTooManyCells {
			a, b, ok := s.halve(timeDims)
			if ok {
				refusals++
				limit = min(limit, s.cells()-1)
				if n := len(parts) + len(queue) + 2; n > c.maxParts {
					return nil, tableTooLarge(id, fmt.Errorf("table %s: the server refuses parts of %d cells; %d requests would be needed, over the limit of %d (MaxParts)",
						id, s.cells(), n, c.maxParts))
				}
				c.log.Info("pxweb: server refused part as too large; halving",
					"table", id, "cells", s.cells(), "status", e.Status)
				queue = append([]selection{a, b}, queue...)
				continue
			}
		}
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
		if progress != nil {
			progress(len(parts), len(parts)+len(queue))
		}
	}
	ds, err := merge(full, parts)
	if err != nil {
		return nil, err
	}
	d := &Data{Dataset: ds}
	for _, p := range parts {
		d.Bodies = append(d.Bodies, p.body)
		d.URLs = append(d.URLs, p.url)
		d.Selections = append(d.Selections, p.post)
	}
	return d, nil
}

// part is one fetched and checked piece of a table's data.
type part struct {
	sel  selection
	ds   *jsonstat.Dataset
	body []byte
	url  string
	post []byte // POST body; nil for GET
}

// fetchPart requests s, as GET when the URL is short enough, else as POST.
func (c *Client) fetchPart(ctx context.Context, id string, s selection) (part, error) {
	path := "/tables/" + url.PathEscape(id) + "/data"
	cl := call{method: "GET", path: path, query: s.query(c.lang)}
	if len(c.url(cl)) > c.maxURL {
		cl = call{
			method: "POST",
			path:   path,
			query:  url.Values{"lang": {c.lang}, "outputFormat": {"json-stat2"}},
			body:   s.body(),
		}
	}
	u := c.url(cl)
	body, err := c.do(ctx, cl)
	if err != nil {
		return part{}, err
	}
	ds, err := jsonstat.DecodeLimited(body, c.decodeLimits)
	if err != nil {
		return part{}, decodeError(id, cl.method+" "+c.base+path, err)
	}
	if err := s.check(ds); err != nil {
		return part{}, fault.E(fault.Invalid, fmt.Errorf("%s %s: %w", cl.method, c.base+path, err))
	}
	return part{sel: s, ds: ds, body: body, url: u, post: cl.body}, nil
}

// check verifies that ds is data for exactly the selection s.
func (s selection) check(ds *jsonstat.Dataset) error {
	// Decode has checked that the values fit the size; a metadata answer
	// ("value": []) is the one well-formed dataset without them.
	if !ds.HasValues() {
		return errors.New("response has no values")
	}
	if len(ds.Dimensions) != len(s) {
		return fmt.Errorf("response has %d dimensions, asked for %d", len(ds.Dimensions), len(s))
	}
	for _, v := range s {
		d := ds.Dimension(v.code)
		if d == nil {
			return fmt.Errorf("response lacks dimension %s", v.code)
		}
		if len(d.Categories) != len(v.values) {
			return fmt.Errorf("dimension %s: response has %d categories, asked for %d", v.code, len(d.Categories), len(v.values))
		}
		asked := make(map[string]bool, len(v.values))
		for _, code := range v.values {
			asked[code] = true
		}
		for _, cat := range d.Categories {
			if !asked[cat.Code] {
				return fmt.Errorf("dimension %s: response has category %q, which was not asked for (or twice)", v.code, cat.Code)
			}
			delete(asked, cat.Code)
		}
	}
	return nil
}
