package pxweb

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Table is a table's catalogue entry, from /tables or /tables/{id}.
type Table struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description"`
	SortCode    string `json:"sortCode"`
	// Updated is when the figures were last updated, UTC ISO-8601 as the
	// server writes it ("2025-10-29T07:00:00Z"); compare it as a string.
	Updated       string   `json:"updated"`
	FirstPeriod   string   `json:"firstPeriod"`
	LastPeriod    string   `json:"lastPeriod"`
	Category      string   `json:"category"`
	VariableNames []string `json:"variableNames"`
	// Discontinued is nil when the server sends null.
	Discontinued *bool        `json:"discontinued"`
	Source       string       `json:"source"`
	SubjectCode  string       `json:"subjectCode"`
	TimeUnit     string       `json:"timeUnit"` // Annual, Quarterly, Monthly, Weekly, Other
	Paths        [][]PathItem `json:"paths"`
	Links        []Link       `json:"links"`
}

// PathItem is one level of a table's place in the subject tree.
type PathItem struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	SortCode string `json:"sortCode"`
}

// Link is a hypermedia link of a response.
type Link struct {
	Rel      string `json:"rel"`
	HrefLang string `json:"hreflang"`
	Href     string `json:"href"`
}

// Table fetches GET /tables/{id}.
func (c *Client) Table(ctx context.Context, id string) (Table, error) {
	cl := call{method: "GET", path: "/tables/" + url.PathEscape(id), query: url.Values{"lang": {c.lang}}}
	body, err := c.do(ctx, cl)
	if err != nil {
		return Table{}, err
	}
	var t Table
	if err := json.Unmarshal(body, &t); err != nil {
		return Table{}, fault.E(fault.Invalid, fmt.Errorf("decode %s: %w", c.base+cl.path, err))
	}
	return t, nil
}

// TablesQuery filters the table list.
type TablesQuery struct {
	// Query is the server's search syntax, e.g. a word or SSB's
	// "updated:20250908*".
	Query string
	// PastDays, when positive, lists only tables updated in that many days:
	// the cheap way to find what changed.
	PastDays int
	// IncludeDiscontinued lists discontinued tables too.
	IncludeDiscontinued bool
	// PageSize, when positive, asks for pages of that size.
	PageSize int
}

// tablesPage is one page of GET /tables.
type tablesPage struct {
	Language string  `json:"language"`
	Tables   []Table `json:"tables"`
	Page     struct {
		PageNumber    int    `json:"pageNumber"`
		PageSize      int    `json:"pageSize"`
		TotalElements int    `json:"totalElements"`
		TotalPages    int    `json:"totalPages"`
		Links         []Link `json:"links"`
	} `json:"page"`
	Links []Link `json:"links"`
}

// more reports whether another page follows.
func (p *tablesPage) more() bool {
	if p.Page.PageNumber >= p.Page.TotalPages {
		return false
	}
	for _, l := range p.Page.Links {
		if l.Rel == "next" {
			return true
		}
	}
	return false
}

// maxPages stops a server that keeps announcing more pages.
const maxPages = 10_000

// Tables lists the tables matching q, following the pages to the end.
func (c *Client) Tables(ctx context.Context, q TablesQuery) ([]Table, error) {
	var all []Table
	for n := 1; ; n++ {
		v := url.Values{"lang": {c.lang}, "pageNumber": {strconv.Itoa(n)}}
		if q.Query != "" {
			v.Set("query", q.Query)
		}
		if q.PastDays > 0 {
			v.Set("pastDays", strconv.Itoa(q.PastDays))
		}
		if q.IncludeDiscontinued {
			v.Set("includeDiscontinued", "true")
		}
		if q.PageSize > 0 {
			v.Set("pageSize", strconv.Itoa(q.PageSize))
		}
		cl := call{method: "GET", path: "/tables", query: v}
		body, err := c.do(ctx, cl)
		if err != nil {
			return nil, err
		}
		var p tablesPage
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, fault.E(fault.Invalid, fmt.Errorf("decode %s page %d: %w", c.base+cl.path, n, err))
		}
		all = append(all, p.Tables...)
		if !p.more() {
			return all, nil
		}
		if p.Page.PageNumber != n {
			return nil, fault.Errorf(fault.Invalid, "%s: asked for page %d, got page %d", c.base+cl.path, n, p.Page.PageNumber)
		}
		if n >= maxPages {
			return nil, fault.Errorf(fault.Invalid, "%s: more than %d pages", c.base+cl.path, maxPages)
		}
	}
}
