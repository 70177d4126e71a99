package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Every dataset in this file is constructed for the tests. The labels look
// like SSB's, the figures are made up and belong to no real table.

// fetchedAt returns a fixed time plus n minutes, with microseconds (the
// finest precision every store keeps) and in a zone other than UTC, so a
// store that forgets to convert to UTC, or drops sub-second digits, fails.
func fetchedAt(n int) time.Time {
	oslo := time.FixedZone("CET", 60*60)
	return time.Date(2025, 10, 29, 8, 15, 30, 123456000, oslo).Add(time.Duration(n) * time.Minute)
}

func intp(i int) *int { return &i }

// fullSnapshot returns a constructed snapshot that uses every feature the
// store must keep: three dimensions, unicode labels, codes that look like
// numbers and aggregates, missing, text and flagged cells, notes at every
// level, units with and without decimals, a hierarchy, verbatim extension
// and link JSON, and raw bodies in three parts (one binary).
func fullSnapshot(tableID string) *store.Snapshot {
	nan := math.NaN()
	d := &jsonstat.Dataset{
		Label:     "Konstruert tabell: kommuner med rutiner for sikkerhetsoppdateringer (æøå ÆØÅ)",
		Source:    "Konstruert for tester",
		Updated:   "2025-10-29T07:00:00Z",
		Href:      "https://example.invalid/api/v2/tables/" + tableID + "/data",
		Note:      []string{"Konstruerte tall.", "Andre note: «sitat» – tankestrek"},
		Extension: json.RawMessage(`{"px": {"tableid": "` + tableID + `",  "decimals": 1,` + "\n" + `"contents": "Kommuner"}}`),
		Link:      json.RawMessage(`{"alternate":[{"type":"application/json","href":"https://example.invalid/x"}]}`),
		Role: jsonstat.Role{
			Time:   []string{"Tid"},
			Geo:    []string{"Region"},
			Metric: []string{"ContentsCode"},
		},
		Dimensions: []jsonstat.Dimension{
			{
				ID:    "Region",
				Label: "region",
				Note:  []string{"Kommuneinndeling per 1.1.2024"},
				Categories: []jsonstat.Category{
					{Code: "04+05", Label: "Innlandet (konstruert aggregat)"},
					{Code: "0301", Label: "Oslo", Note: []string{"Oslo er både kommune og fylke."}},
					{Code: "3201", Label: "Bærum"},
					{Code: "5501", Label: "Tromsø"},
				},
				Child:     map[string][]string{"04+05": {"3201", "5501"}},
				Extension: json.RawMessage(`{"show": "value",   "elimination": true}`),
				Href:      "https://example.invalid/codelists/vs_Kommun",
			},
			{
				ID:    "ContentsCode",
				Label: "statistikkvariabel",
				Categories: []jsonstat.Category{
					{Code: "Andel", Label: "Andel med rutine (prosent)", Unit: &jsonstat.Unit{
						Label: "prosent", Symbol: "%", Position: "end", Decimals: intp(1),
					}},
					{Code: "Antall", Label: "Antall kommuner", Unit: &jsonstat.Unit{
						Label: "kommuner", Decimals: intp(0), Multiplier: intp(3),
					}},
				},
				Link: json.RawMessage(`{"describedby":[{"extension":{"Andel":"urn:x"}}]}`),
			},
			{
				ID:    "Tid",
				Label: "år",
				Categories: []jsonstat.Category{
					{Code: "2022", Label: "2022"},
					{Code: "2024", Label: "2024", Note: []string{"Foreløpige tall"}},
				},
			},
		},
		// 4 regions × 2 contents × 2 years = 16 cells, row-major.
		Values: []float64{
			61.5, 64.25, 356, 357, // 04+05
			nan, 70.1, nan, 1, // 0301: null with ".", value with "r", null with ":", value
			0.30000000000000004, -12.75, 1e-300, math.MaxFloat64, // 3201: exact bits matter
			nan, nan, 9007199254740993, 0, // 5501: a text cell, a bare missing cell
		},
		Text:   map[int]string{12: "Ikke oppgitt – tekstcelle"},
		Status: map[int]string{4: ".", 5: "r", 6: ":", 12: ".."},
	}
	raw := [][]byte{
		[]byte(`{"version":"2.0","class":"dataset","label":"æøå"}`),
		{0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x00, 'x'}, // bytes that are no text
		[]byte(repeat(`{"value":[1.5,null,2]}`, 1000)),
	}
	return &store.Snapshot{
		TableID:   tableID,
		Title:     "Konstruert: Kommuner med rutiner (prosent) etter region, statistikkvariabel og år",
		Lang:      "no",
		Updated:   "2025-10-29T07:00:00Z",
		FetchedAt: fetchedAt(0),
		Source:    "https://example.invalid/api/v2/tables/" + tableID + "/data?lang=no",
		SHA256:    sum(raw),
		Raw:       raw,
		Data:      d,
	}
}

func repeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for range n {
		b = append(b, s...)
	}
	return string(b)
}

// sum returns the hex SHA-256 of the bodies concatenated, as
// store.Snapshot.SHA256 is defined.
func sum(raw [][]byte) string {
	h := sha256.New()
	for _, b := range raw {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// version returns a small constructed snapshot of a table whose content,
// and so SHA-256, is set by v: the same v gives the same content.
func version(tableID string, v int) *store.Snapshot {
	d := &jsonstat.Dataset{
		Label: "Konstruert versjon " + strconv.Itoa(v),
		Dimensions: []jsonstat.Dimension{
			{ID: "Region", Label: "region", Categories: []jsonstat.Category{
				{Code: "0301", Label: "Oslo"}, {Code: "4601", Label: "Bergen"},
			}},
			{ID: "Tid", Label: "år", Categories: []jsonstat.Category{{Code: "2024", Label: "2024"}}},
		},
		Values: []float64{float64(v), float64(v) + 0.5},
	}
	raw := [][]byte{[]byte(`{"constructed":` + strconv.Itoa(v) + `}`)}
	return &store.Snapshot{
		TableID:   tableID,
		Title:     "Konstruert tabell " + tableID,
		Lang:      "no",
		Updated:   "2025-01-0" + strconv.Itoa(1+v%9) + "T07:00:00Z",
		FetchedAt: fetchedAt(v),
		Source:    "https://example.invalid/" + tableID,
		SHA256:    sum(raw),
		Raw:       raw,
		Data:      d,
	}
}

// large returns a constructed snapshot of about cells cells (rounded up to
// a multiple of 1000), shaped like a large SSB table: 5 contents by 20 years
// by enough regions by 10 age groups.
func large(tableID string, cells int, tag string) *store.Snapshot {
	return grid(tableID, []int{5, 20, max((cells+999)/1000, 1), 10}, tag)
}

// grid returns a constructed snapshot with dimensions of the given sizes,
// the first a metric with units, the second time, the third region, any
// more plain. Roughly one cell in 37 is missing with status "..", one in 101
// missing with ":", and one in 211 has a value and the status "r". The raw
// body lists the values as JSON (about 7 bytes a cell); tag makes it, and so
// the SHA-256, distinct.
func grid(tableID string, sizes []int, tag string) *store.Snapshot {
	d := &jsonstat.Dataset{Label: "Konstruert stor tabell"}
	for i, n := range sizes {
		dim := jsonstat.Dimension{ID: "Dim" + strconv.Itoa(i), Label: "dimensjon " + strconv.Itoa(i)}
		dim.Categories = make([]jsonstat.Category, n)
		for j := range dim.Categories {
			code := fmt.Sprintf("%c%06d", 'A'+i, j)
			dim.Categories[j] = jsonstat.Category{Code: code, Label: "Konstruert " + code}
		}
		switch i {
		case 0:
			dim.ID, dim.Label = "ContentsCode", "statistikkvariabel"
			d.Role.Metric = []string{dim.ID}
			for j := range dim.Categories {
				dim.Categories[j].Unit = &jsonstat.Unit{Label: "antall", Decimals: intp(j % 2)}
			}
		case 1:
			dim.ID, dim.Label = "Tid", "år"
			d.Role.Time = []string{dim.ID}
		case 2:
			dim.ID, dim.Label = "Region", "region"
			d.Role.Geo = []string{dim.ID}
		}
		d.Dimensions = append(d.Dimensions, dim)
	}
	n := d.Len()
	d.Values = make([]float64, n)
	d.Status = make(map[int]string)
	body := make([]byte, 0, 8*n+64)
	body = append(body, `{"constructed":"`+tag+`","value":[`...)
	for i := range d.Values {
		switch {
		case i%37 == 0:
			d.Values[i] = math.NaN()
			d.Status[i] = ".."
		case i%101 == 0:
			d.Values[i] = math.NaN()
			d.Status[i] = ":"
		default:
			d.Values[i] = float64((i*7919)%100000) / 10
			if i%211 == 0 {
				d.Status[i] = "r"
			}
		}
		if i > 0 {
			body = append(body, ',')
		}
		if math.IsNaN(d.Values[i]) {
			body = append(body, "null"...)
		} else {
			body = strconv.AppendFloat(body, d.Values[i], 'g', -1, 64)
		}
	}
	body = append(body, "]}"...)
	raw := [][]byte{body}
	return &store.Snapshot{
		TableID:   tableID,
		Title:     "Konstruert stor tabell " + tableID,
		Lang:      "no",
		Updated:   "2025-10-29T07:00:00Z",
		FetchedAt: fetchedAt(1),
		Source:    "https://example.invalid/" + tableID,
		SHA256:    sum(raw),
		Raw:       raw,
		Data:      d,
	}
}

// clone returns a copy of s that shares nothing a store could change: the
// suite hands each writer its own, as separate processes would.
func clone(s *store.Snapshot) *store.Snapshot {
	c := *s
	c.Raw = append([][]byte(nil), s.Raw...)
	return &c
}

// stored returns what reading s back must give: s with its id, its fetch
// time in UTC and no raw bodies.
func stored(s *store.Snapshot) *store.Snapshot {
	c := *s
	c.FetchedAt = s.FetchedAt.UTC()
	c.Raw = nil
	return &c
}

// info returns the SnapshotInfo of s.
func info(s *store.Snapshot) store.SnapshotInfo { return s.Info() }
