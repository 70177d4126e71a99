// Command decode measures how fast JSON-stat is decoded, for
// bench/decode.sh. It generates a large constructed JSON-stat 2.0 file, and
// decodes a file once in one of several ways, printing the time the decode
// took and the process's peak resident memory, so that each way runs in a
// fresh process and its peak is its own:
//
//	go run ./bench/decode gen FILE         # ~120 MB of constructed data
//	go run ./bench/decode run MODE FILE    # prints "MODE <seconds> <peak KiB> <cells> <CPU seconds>"
//
// The modes: jsonstat (the project's decoder, jsonstat.Decode), json
// (encoding/json into map[string]any), scan (a minimal hand-written scan of
// the value array: the baseline the decoder is held against).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "gen":
		return generate(args[1])
	case len(args) == 3 && args[0] == "run":
		return measure(args[1], args[2])
	}
	return errors.New("usage: decode gen FILE | decode run jsonstat|json|scan FILE")
}

// measure reads file, decodes it once by mode and prints the decode time,
// the peak resident memory of the process and the cells found.
func measure(mode, file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var cells int
	cpu0, err := cpuTime()
	if err != nil {
		return err
	}
	start := time.Now()
	switch mode {
	case "jsonstat":
		ds, err := jsonstat.Decode(data)
		if err != nil {
			return err
		}
		cells = len(ds.Values)
	case "json":
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		vals, _ := v["value"].([]any)
		cells = len(vals)
	case "scan":
		vals, err := scanValues(data)
		if err != nil {
			return err
		}
		cells = len(vals)
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	elapsed := time.Since(start)
	cpu1, err := cpuTime()
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	fmt.Printf("%s %.6f %d %d %.6f\n", mode, elapsed.Seconds(), ru.Maxrss, cells, (cpu1 - cpu0).Seconds())
	return nil
}

// cpuTime returns the CPU time the process has used, user and system, all
// threads (the garbage collector's work counts too).
func cpuTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// scanValues is the baseline: the least a program must do to get the
// numbers of a JSON-stat file, written plainly. It reads the cell count
// from size, so the values are allocated once, finds the value array and
// reads each element byte by byte (sign, digits, a fraction, null). It
// checks nothing else of the document and does not handle exponents or
// strings.
func scanValues(data []byte) ([]float64, error) {
	cells, err := sizeProduct(data)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(data, []byte(`"value":[`))
	if i < 0 {
		return nil, errors.New("no value array")
	}
	i += len(`"value":[`)
	vals := make([]float64, 0, cells)
	for i < len(data) {
		c := data[i]
		switch {
		case c == ']':
			return vals, nil
		case c == ',' || c == ' ' || c == '\n':
			i++
		case c == 'n':
			vals = append(vals, math.NaN())
			i += 4
		default:
			neg := c == '-'
			if neg {
				i++
			}
			var mant uint64
			for i < len(data) && data[i] >= '0' && data[i] <= '9' {
				mant = mant*10 + uint64(data[i]-'0')
				i++
			}
			div := 1.0
			if i < len(data) && data[i] == '.' {
				i++
				for i < len(data) && data[i] >= '0' && data[i] <= '9' {
					mant = mant*10 + uint64(data[i]-'0')
					div *= 10
					i++
				}
			}
			f := float64(mant) / div
			if neg {
				f = -f
			}
			vals = append(vals, f)
		}
	}
	return nil, errors.New("value array not closed")
}

// sizeProduct reads the size array and returns the number of cells.
func sizeProduct(data []byte) (int, error) {
	i := bytes.Index(data, []byte(`"size":[`))
	if i < 0 {
		return 0, errors.New("no size array")
	}
	n, cur := 1, 0
	for i += len(`"size":[`); i < len(data); i++ {
		switch c := data[i]; {
		case c >= '0' && c <= '9':
			cur = cur*10 + int(c-'0')
		case c == ',':
			n, cur = n*cur, 0
		case c == ']':
			return n * cur, nil
		}
	}
	return 0, errors.New("size array not closed")
}

// generate writes CONSTRUCTED data, not SSB's figures: a JSON-stat 2.0
// dataset shaped like an SSB table of about 120 MB, 5 dimensions (360
// municipality-like codes, 20 age groups, 3 sexes, 2 contents, 420 months =
// 18.1 million cells), whole numbers for one contents code and up to 2
// decimals for the other, one cell in 1000 null with status "..".
func generate(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	b := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(2025, 10))
	type dim struct {
		id, label string
		codes     []string
	}
	codes := func(n int, name func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = name(i)
		}
		return out
	}
	dims := []dim{
		{"Region", "region", codes(360, func(i int) string { return fmt.Sprintf("%02d%02d", 1+i/20, 1+i%20) })},
		{"Alder", "alder", codes(20, func(i int) string { return fmt.Sprintf("%02d-%02d", 5*i, 5*i+4) })},
		{"Kjonn", "kjønn", []string{"0", "1", "2"}},
		{"ContentsCode", "statistikkvariabel", []string{"Personer", "Andel"}},
		{"Tid", "måned", codes(420, func(i int) string { return fmt.Sprintf("%dM%02d", 1990+i/12, 1+i%12) })},
	}
	b.WriteString(`{"version":"2.0","class":"dataset","label":"Konstruert testtabell (ikke SSB-tall)","source":"konstruert for benchmark",` +
		`"updated":"2025-10-29T07:00:00Z","role":{"time":["Tid"],"metric":["ContentsCode"]},"id":[`)
	cells := 1
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, "%q", d.id)
		cells *= len(d.codes)
	}
	b.WriteString(`],"size":[`)
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(len(d.codes)))
	}
	b.WriteString(`],"dimension":{`)
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `%q:{"label":%q,"category":{"index":{`, d.id, d.label)
		for j, c := range d.codes {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, `%q:%d`, c, j)
		}
		b.WriteString(`},"label":{`)
		for j, c := range d.codes {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(b, `%q:"%s %s"`, c, d.label, c)
		}
		b.WriteString(`}},"extension":{"elimination":false,"show":"value"}}`)
	}
	b.WriteString(`},"value":[`)
	var nulls []int
	buf := make([]byte, 0, 32)
	tid := len(dims[4].codes)
	for i := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		if r.IntN(1000) == 0 {
			b.WriteString("null")
			nulls = append(nulls, i)
			continue
		}
		buf = buf[:0]
		if (i/tid)%2 == 0 {
			buf = strconv.AppendInt(buf, int64(r.IntN(200000)), 10)
		} else {
			buf = strconv.AppendFloat(buf, float64(r.IntN(100000))/100, 'f', -1, 64)
		}
		b.Write(buf)
	}
	b.WriteString(`],"status":{`)
	for i, n := range nulls {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, `"%d":".."`, n)
	}
	b.WriteString("}}\n")
	return b.Flush()
}
