package report

import "strings"

// guillemets quotes s the Norwegian way, «s». Quotation marks inside s
// become single ones (‘ ’), as in a quote within a quote, and a mark the
// source left without its partner is completed in square brackets, an
// editor's addition, so the text never shows doubled or unbalanced
// guillemets: the appendix's «dedikert …» (54 %) reads «‘dedikert …’
// (54 %)», and its IKT-ansvarlige» (13 %) reads «[‘]… IKT-ansvarlige’
// (13 %)».
func guillemets(s string) string {
	open, depth := 0, 0
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '«':
			depth++
			b.WriteRune('‘')
		case '»':
			if depth == 0 {
				open++ // a closing mark without its opening one
			} else {
				depth--
			}
			b.WriteRune('’')
		default:
			b.WriteRune(r)
		}
	}
	inner := b.String()
	return "«" + strings.Repeat("[‘]", open) + inner + strings.Repeat("[’]", depth) + "»"
}
