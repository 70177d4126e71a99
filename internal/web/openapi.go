package web

import (
	"fmt"
	"net/http"
)

// The OpenAPI 3.1 document of the JSON API, written as a Go value so the
// compiler checks its shape and a test checks it against routes.go: every
// API route is documented, and every documented path answers.

type openAPIDoc struct {
	OpenAPI    string              `json:"openapi"`
	Info       openAPIInfo         `json:"info"`
	Servers    []openAPIServer     `json:"servers"`
	Paths      map[string]pathItem `json:"paths"`
	Components openAPIComponents   `json:"components"`
}

type openAPIInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type openAPIServer struct {
	URL string `json:"url"`
}

// pathItem maps a lower-case HTTP method to its operation.
type pathItem map[string]operation

type operation struct {
	OperationID string              `json:"operationId"`
	Summary     string              `json:"summary"`
	Description string              `json:"description,omitempty"`
	Parameters  []parameter         `json:"parameters,omitempty"`
	Responses   map[string]response `json:"responses"`
}

type parameter struct {
	Name        string `json:"name"`
	In          string `json:"in"`
	Required    bool   `json:"required,omitempty"`
	Description string `json:"description,omitempty"`
	Schema      schema `json:"schema"`
	Style       string `json:"style,omitempty"`
	Explode     *bool  `json:"explode,omitempty"`
}

type response struct {
	Description string               `json:"description"`
	Content     map[string]mediaType `json:"content,omitempty"`
}

type mediaType struct {
	Schema schema `json:"schema"`
}

// schema is a JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12).
type schema map[string]any

type openAPIComponents struct {
	Schemas map[string]schema `json:"schemas"`
}

func ref(name string) schema { return schema{"$ref": "#/components/schemas/" + name} }

func arrayOf(s schema) schema { return schema{"type": "array", "items": s} }

func jsonOK(desc string, s schema) map[string]response {
	return map[string]response{
		"200":     {Description: desc, Content: map[string]mediaType{"application/json": {Schema: s}}},
		"default": problemResponse(),
	}
}

// problemResponse is the error answer of every operation.
func problemResponse() response {
	return response{
		Description: "An error, as an RFC 7807 problem; detail is a bokmål message safe to show a person.",
		Content:     map[string]mediaType{"application/problem+json": {Schema: ref("Problem")}},
	}
}

func pathParam(name, desc string) parameter {
	return parameter{Name: name, In: "path", Required: true, Description: desc, Schema: schema{"type": "string"}}
}

func yes() *bool { b := true; return &b }

// viewParams is the parameter that chooses a view of a table.
func viewParams() parameter {
	return parameter{
		Name: "view", In: "query", Style: "form", Explode: yes(),
		Description: "The view, as in the table explorer: d.DIM=row|col|fixed places dimension DIM down the rows, " +
			"across the columns or fixed to one value; v.DIM=CODE keeps a category of DIM (repeat for several; none keeps all). " +
			"Dimensions without d.DIM keep their default place.",
		Schema: schema{"type": "object", "additionalProperties": schema{
			"oneOf": []schema{{"type": "string"}, arrayOf(schema{"type": "string"})}}},
	}
}

// openAPI returns the document. It depends only on the version and the
// limits.
func (s *Server) openAPI() openAPIDoc {
	limitsNote := fmt.Sprintf("An answer has at most %d cells (this server's limit); a larger one is refused with 400 "+
		"and a problem that says how to narrow it. When the server is busy with large requests, the answer is 503 with Retry-After.",
		s.cfg.Limits.MaxViewCells)
	tableID := pathParam("id", "SSB table id, e.g. 12041")
	entryID := pathParam("id", "the entry's id in the knowledge pack")
	return openAPIDoc{
		OpenAPI: "3.1.0",
		Info: openAPIInfo{
			Title:   "grunnlag API",
			Version: s.cfg.Version,
			Description: "Everything grunnlag's pages show, for programs: SSB tables and their snapshots (JSON-stat 2.0), " +
				"table views, indicators, and the knowledge pack (themes, documents, findings, dialogue, needs, NSM principles) with search. " +
				"Texts are Norwegian bokmål. Errors are RFC 7807 problems.",
		},
		Servers: []openAPIServer{{URL: "/api/v1"}},
		Paths: map[string]pathItem{
			"/openapi.json": {"get": {OperationID: "openapi", Summary: "This document",
				Responses: jsonOK("The OpenAPI 3.1 document.", schema{"type": "object"})}},
			"/tables": {"get": {OperationID: "listTables", Summary: "Every registered or stored table with its status",
				Responses: jsonOK("The tables, registered ones first.", arrayOf(ref("TableStatus")))}},
			"/tables/{id}": {"get": {OperationID: "getTable", Summary: "A stored table: status, dimensions and versions",
				Parameters: []parameter{tableID},
				Responses:  jsonOK("The table.", ref("TableDetail"))}},
			"/tables/{id}/data": {"get": {OperationID: "getTableData", Summary: "The newest snapshot as JSON-stat 2.0",
				Description: "Restricted to the kept values when v.DIM parameters are given; every other dimension keeps all its values. " + limitsNote,
				Parameters:  []parameter{tableID, viewParams()},
				Responses: map[string]response{
					"200":     {Description: "A JSON-stat 2.0 dataset.", Content: map[string]mediaType{"application/json": {Schema: schema{"type": "object", "description": "JSON-stat 2.0 dataset (https://json-stat.org/full/)"}}}},
					"default": problemResponse(),
				}}},
			"/tables/{id}/view": {"get": {OperationID: "getTableView", Summary: "A view of the newest snapshot, as the explorer shows it",
				Description: "Parameters other than d.DIM and v.DIM are ignored; ones that name nothing in the table are listed in notes. " + limitsNote,
				Parameters:  []parameter{tableID, viewParams()},
				Responses:   jsonOK("The view: fixed dimensions, row and column axes, and the cells.", ref("View"))}},
			"/tables/{id}/versions": {"get": {OperationID: "listVersions", Summary: "Every stored version of a table with its provenance, newest first",
				Parameters: []parameter{tableID},
				Responses:  jsonOK("The versions.", arrayOf(ref("Version")))}},
			"/tables/{id}/versions/compare": {"get": {OperationID: "compareVersions", Summary: "What changed between two versions of a table, cell by cell",
				Description: "Cells are matched by their category codes. Changed cells come with the largest absolute change first.",
				Parameters: []parameter{tableID,
					{Name: "from", In: "query", Description: "the older version's id (default: the one before the newest)", Schema: schema{"type": "integer"}},
					{Name: "to", In: "query", Description: "the newer version's id (default: the newest)", Schema: schema{"type": "integer"}}},
				Responses: jsonOK("The comparison; each list holds at most limit cells.", ref("Comparison"))}},
			"/indicators": {"get": {OperationID: "listIndicators", Summary: "Every indicator, computed from the newest snapshots",
				Responses: jsonOK("The indicators in the pack's order, with figures, resolved codes and sources; an indicator that cannot be computed says why.", arrayOf(ref("Indicator")))}},
			"/themes": {"get": {OperationID: "listThemes", Summary: "The analysis themes",
				Responses: jsonOK("The themes.", arrayOf(ref("Entry")))}},
			"/themes/{id}": {"get": {OperationID: "getTheme", Summary: "A theme with its evidence and verdict",
				Parameters: []parameter{entryID}, Responses: jsonOK("The theme.", ref("Entry"))}},
			"/documents": {"get": {OperationID: "listDocuments", Summary: "The documents of the knowledge basis",
				Responses: jsonOK("The documents.", arrayOf(ref("Entry")))}},
			"/documents/{id}": {"get": {OperationID: "getDocument", Summary: "A document with its findings",
				Parameters: []parameter{entryID}, Responses: jsonOK("The document.", ref("Entry"))}},
			"/findings": {"get": {OperationID: "listFindings", Summary: "The findings",
				Responses: jsonOK("The findings.", arrayOf(ref("Entry")))}},
			"/findings/{id}": {"get": {OperationID: "getFinding", Summary: "A finding",
				Parameters: []parameter{entryID}, Responses: jsonOK("The finding.", ref("Entry"))}},
			"/dialogue": {"get": {OperationID: "listDialogue", Summary: "The activities of the sector dialogue",
				Responses: jsonOK("The activities.", arrayOf(ref("Entry")))}},
			"/dialogue/{id}": {"get": {OperationID: "getDialogue", Summary: "A dialogue activity",
				Parameters: []parameter{entryID}, Responses: jsonOK("The activity.", ref("Entry"))}},
			"/needs": {"get": {OperationID: "listNeeds", Summary: "The needs municipalities raised",
				Responses: jsonOK("The needs.", arrayOf(ref("Entry")))}},
			"/needs/{id}": {"get": {OperationID: "getNeed", Summary: "A need",
				Parameters: []parameter{entryID}, Responses: jsonOK("The need.", ref("Entry"))}},
			"/nsm": {"get": {OperationID: "getNSM", Summary: "NSM's Grunnprinsipper for IKT-sikkerhet",
				Responses: jsonOK("Categories, principles and the measures known.", schema{"type": "object", "properties": map[string]schema{
					"categories": arrayOf(ref("Entry")), "principles": arrayOf(ref("Entry")), "measures": arrayOf(ref("Entry"))}})}},
			"/search": {"get": {OperationID: "search", Summary: "Full-text search of documents, findings, dialogue, needs, themes and NSM",
				Parameters: []parameter{{Name: "q", In: "query", Required: true, Description: "the words to find (every word must match)", Schema: schema{"type": "string", "maxLength": maxQueryRunes}}},
				Responses:  jsonOK("The hits, best first.", ref("SearchResult"))}},
			"/report": {"get": {OperationID: "getReport", Summary: "The report's data",
				Responses: jsonOK("The report.", schema{"type": "object"})}},
			"/sync": {
				"get": {OperationID: "getSync", Summary: "The state of the server's sync",
					Responses: jsonOK("The sync's progress and last results.", ref("SyncStatus"))},
				"post": {OperationID: "startSync", Summary: "Start syncing every registered table",
					Description: "Needs an analyst: a bearer token (Authorization: Bearer gl_…) or a session with its form token. Without either the answer is 401. Cross-origin requests are refused.",
					Responses: map[string]response{
						"202":     {Description: "The sync started.", Content: map[string]mediaType{"application/json": {Schema: ref("SyncStatus")}}},
						"default": problemResponse(),
					}},
			},
			"/rounds/{id}/aggregates": {"get": {OperationID: "getRoundAggregates", Summary: "A self-assessment round's aggregates, under disclosure control",
				Description: "For analysts and leads (bearer token). Each group has n, the organisations that submitted; a group is suppressed when it, or a difference between it and another published group, would rest on fewer than k organisations, and then carries no figures.",
				Parameters: []parameter{
					{Name: "id", In: "path", Required: true, Schema: schema{"type": "string"}},
					{Name: "group", In: "query", Description: "national (default), size_class, county or provider", Schema: schema{"type": "string", "enum": []string{"national", "size_class", "county", "provider"}}},
				},
				Responses: jsonOK("The groups of that kind.", arrayOf(ref("AggregateGroup")))}},
		},
		Components: openAPIComponents{Schemas: map[string]schema{
			"AggregateGroup": {"type": "object", "required": []string{"group", "key", "n", "suppressed"}, "properties": map[string]schema{
				"group": {"type": "string"}, "key": {"type": "string", "description": "size class label or county number; empty for national"},
				"label": {"type": "string"}, "n": {"type": "integer", "description": "organisations that submitted"},
				"suppressed": {"type": "boolean"}, "reason": {"type": "string", "description": "bokmål, when suppressed"},
				"principles": {"type": "object", "description": "by principle: n, median, q1, q3 of the organisations' scores (0–1)"},
				"categories": {"type": "object"}, "options": {"type": "object", "description": "by measure: organisations per answer; \"\" is unanswered"}}},
			"Problem": {"type": "object", "required": []string{"type", "title", "status", "detail"}, "properties": map[string]schema{
				"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
				"detail": {"type": "string", "description": "bokmål"}, "instance": {"type": "string"}, "kind": {"type": "string"}}},
			"TableStatus": {"type": "object", "properties": map[string]schema{
				"id": {"type": "string"}, "title": {"type": "string"}, "registered": {"type": "boolean"}, "why": {"type": "string"},
				"stored": {"type": "boolean"}, "updated": {"type": "string", "description": "SSB's updated of the newest snapshot"},
				"fetched_at": {"type": "string", "format": "date-time"}, "source": {"type": "string"}, "sha256": {"type": "string"},
				"cells": {"type": "integer"}, "snapshots": {"type": "integer"},
				"last_attempt": {"type": "object", "properties": map[string]schema{
					"started_at": {"type": "string", "format": "date-time"}, "finished_at": {"type": "string", "format": "date-time"},
					"outcome": {"type": "string", "enum": []string{"added", "unchanged", "failed"}},
					"text":    {"type": "string", "description": "bokmål: how the attempt went, with the reason of a failure and the version kept"},
					"reason":  {"type": "string", "description": "bokmål: why it failed"},
					"error":   {"type": "string", "description": "English detail, for operators"}}},
				"problem": {"type": "string", "description": "bokmål: why the last attempt failed"}}},
			"TableDetail": {"allOf": []schema{ref("TableStatus"), {"type": "object", "properties": map[string]schema{
				"dimensions": arrayOf(schema{"type": "object", "properties": map[string]schema{
					"id": {"type": "string"}, "label": {"type": "string"}, "role": {"type": "string"},
					"categories": arrayOf(schema{"type": "object", "properties": map[string]schema{"code": {"type": "string"}, "label": {"type": "string"}}})}}),
				"versions": arrayOf(ref("Version")), "view_url": {"type": "string"}}}}},
			"Version": {"type": "object", "properties": map[string]schema{
				"id": {"type": "integer"}, "table_id": {"type": "string"}, "title": {"type": "string"}, "lang": {"type": "string"},
				"updated": {"type": "string", "description": "the source's own updated"}, "fetched_at": {"type": "string", "format": "date-time"},
				"source": {"type": "string", "description": "the request URLs, or the imported file's name"},
				"origin": {"type": "string", "description": "bokmål"}, "sha256": {"type": "string"}, "cells": {"type": "integer"}}},
			"Comparison": {"type": "object", "properties": map[string]schema{
				"table_id": {"type": "string"}, "from": ref("Version"), "to": ref("Version"),
				"dimensions": arrayOf(schema{"type": "object", "properties": map[string]schema{"id": {"type": "string"}, "label": {"type": "string"}}}),
				"counts":     {"type": "object", "properties": map[string]schema{"added": {"type": "integer"}, "removed": {"type": "integer"}, "changed": {"type": "integer"}, "same": {"type": "integer"}}},
				"changed":    arrayOf(ref("DiffCell")), "added": arrayOf(ref("DiffCell")), "removed": arrayOf(ref("DiffCell")),
				"truncated": {"type": "boolean"}, "dimensions_differ": {"type": "boolean"}, "limit": {"type": "integer"}}},
			"DiffCell": {"type": "object", "properties": map[string]schema{
				"codes": arrayOf(schema{"type": "string"}), "labels": arrayOf(schema{"type": "string"}),
				"old":    {"type": []string{"object", "null"}, "properties": map[string]schema{"value": {"type": []string{"number", "null"}}, "status": {"type": "string"}}},
				"new":    {"type": []string{"object", "null"}, "properties": map[string]schema{"value": {"type": []string{"number", "null"}}, "status": {"type": "string"}}},
				"change": {"type": []string{"number", "null"}}}},
			"View": {"type": "object", "properties": map[string]schema{
				"table": {"type": "string"}, "title": {"type": "string"}, "updated": {"type": "string"},
				"query": {"type": "string"}, "view_url": {"type": "string"},
				"fixed": arrayOf(schema{"type": "object"}), "rows": ref("Axis"), "columns": ref("Axis"),
				"cells": arrayOf(arrayOf(schema{"type": "object", "properties": map[string]schema{
					"value": {"type": []string{"number", "null"}}, "status": {"type": "string", "description": "SSB's status symbol"},
					"text": {"type": "string", "description": "as the page shows it"}}})),
				"notes": arrayOf(schema{"type": "string"})}},
			"Axis": {"type": "object", "properties": map[string]schema{
				"dimensions": arrayOf(schema{"type": "string"}),
				"codes":      arrayOf(arrayOf(schema{"type": "string"})), "labels": arrayOf(arrayOf(schema{"type": "string"}))}},
			"Indicator": {"type": "object", "description": "As `grunnlag indicators --json` prints it.", "properties": map[string]schema{
				"id": {"type": "string"}, "title": {"type": "string"}, "table": {"type": "string"}, "status": {"type": "string"},
				"problem": {"type": "string"}, "year": {"type": "string"}, "share": {"type": []string{"number", "null"}},
				"statement": {"type": "string"}, "source": {"type": "object"},
				"source_kind": {"type": "string", "description": "snapshot (a stored version of the table) or published (a figure read on a web page, used while no snapshot is stored)"},
				"change":      {"type": "object", "description": "the newest figure against the previous one in the same table"},
				"appendix":    {"type": "object", "description": "the figure of the year appendix E read"}, "appendix_statement": {"type": "string"},
				"appendix_check": {"type": "object", "description": "the appendix's own reading held against the table"},
				"series":         arrayOf(schema{"type": "object"}), "published": {"type": "object"}}},
			"Entry": {"type": "object", "description": "An entry of the knowledge pack, as the pack's JSON gives it; every entry has id and origin.",
				"properties": map[string]schema{"id": {"type": "string"}, "origin": {"type": "object"}}},
			"SearchResult": {"type": "object", "properties": map[string]schema{
				"query": {"type": "string"},
				"hits": arrayOf(schema{"type": "object", "properties": map[string]schema{
					"kind": {"type": "string"}, "kind_label": {"type": "string"}, "id": {"type": "string"},
					"summary": {"type": "string"}, "snippet": {"type": "string"}, "url": {"type": "string"}, "score": {"type": "number"}}})}},
			"SyncStatus": {"type": "object", "properties": map[string]schema{
				"running": {"type": "boolean"}, "reason": {"type": "string"}, "started_at": {"type": "string", "format": "date-time"},
				"finished_at": {"type": "string", "format": "date-time"}, "total": {"type": "integer"}, "done": {"type": "integer"},
				"current": {"type": "string"}, "stage": {"type": "string"}, "parts_done": {"type": "integer"}, "parts_total": {"type": "integer"},
				"results": arrayOf(schema{"type": "object"}), "message": {"type": "string"}}},
		}},
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, s.openAPI())
}
