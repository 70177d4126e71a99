// Package report writes grunnlag's situational report: appendix E ("Vedlegg
// E – Metode og datagrunnlag") rebuilt from the knowledge pack and the
// analysis of the synced SSB tables, in Norwegian bokmål, with the
// appendix's structure and headings.
//
// Build turns a pack and an analysis.Result into a report; WriteHTML,
// WriteMarkdown and WriteJSON write it, Write puts every format into a
// folder, and Chromium prints the HTML to PDF. Every figure in the running
// text links to a numbered footnote that says where it came from: for
// statistics the SSB table, the variable and category labels with their
// codes, the year, the snapshot's "updated" and fetch time; for a finding
// the document and the quote; for the dialogue the activity. The HTML marks
// figures and their sources so a test can check that (see html.go).
//
// The report reads no clock: the same pack and snapshots give the same
// bytes in every format but PDF, whose producer stamps its own date.
package report
