package catalog

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
)

// EncodeIndicators writes indicator definitions as a pack file's
// indicators section, in the schema's own field names and order, leaving
// out empty fields. Loading the output as a pack gives the same
// definitions back; `grunnlag sync` uses it to print the YAML that fixes a
// definition that stopped resolving.
func EncodeIndicators(inds ...*Indicator) ([]byte, error) {
	list := make([]any, len(inds))
	for i, ind := range inds {
		list[i] = packValue(reflect.ValueOf(ind).Elem())
	}
	return yaml.MarshalWithOptions(yaml.MapSlice{{Key: "indicators", Value: list}}, yaml.Indent(2), yaml.IndentSequence(true))
}

// packValue turns a schema value into what yaml marshals: a struct into a
// map of its pack fields in declaration order, without empty ones.
func packValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return packValue(v.Elem())
	case reflect.Struct:
		var m yaml.MapSlice
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("pack"), ",")
			if name == "" || name == "-" || v.Field(i).IsZero() {
				continue
			}
			m = append(m, yaml.MapItem{Key: name, Value: packValue(v.Field(i))})
		}
		return m
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = packValue(v.Index(i))
		}
		return out
	case reflect.String:
		return v.String()
	case reflect.Int, reflect.Int64:
		return v.Int()
	case reflect.Float64:
		return v.Float()
	case reflect.Bool:
		return v.Bool()
	}
	panic(fmt.Sprintf("catalog: cannot encode a %s", v.Kind()))
}
