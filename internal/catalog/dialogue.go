package catalog

// Period is when an activity took place: the words of the source and, where
// they allow, the first and last month or year ("2020-01", "2022").
type Period struct {
	Text string `pack:"text,required" json:"text"`  // as written: "januar - juni 2020"
	From string `pack:"from" json:"from,omitempty"` // YYYY or YYYY-MM
	To   string `pack:"to" json:"to,omitempty"`     // YYYY or YYYY-MM
}

// Participant is an organisation or group that took part in an activity.
type Participant struct {
	Name  string  `pack:"name,required" json:"name"`
	Type  OrgType `pack:"type,required" json:"type"`
	Notes string  `pack:"notes" json:"notes,omitempty"`
}

// Activity is one activity of the sector dialogue: meetings, workshops, a
// working group, an input round.
type Activity struct {
	ID      string       `pack:"id,required" json:"id"`
	Title   string       `pack:"title,required" json:"title"`
	Section string       `pack:"section,required" json:"section"` // the appendix's heading it is described under
	Kind    ActivityKind `pack:"kind,required" json:"kind"`
	Period  *Period      `pack:"period" json:"period,omitempty"`
	// Count is the number of meetings, as a bound where the text says
	// "mer enn"; Duration the length of each meeting.
	Count        *Quantity     `pack:"count" json:"count,omitempty"`
	Duration     *Quantity     `pack:"duration" json:"duration,omitempty"`
	Participants []Participant `pack:"participants,required" json:"participants"`
	Purpose      string        `pack:"purpose" json:"purpose,omitempty"`
	Quote        string        `pack:"quote,required" json:"quote"`
	Source       Citation      `pack:"source,required" json:"source"`
	Notes        string        `pack:"notes" json:"notes,omitempty"`
	Origin       Origin        `pack:"-" json:"origin"`
}

// Need is one of the recurring needs municipalities raised in the
// workshops.
type Need struct {
	ID       string     `pack:"id,required" json:"id"`
	Text     string     `pack:"text,required" json:"text"`   // the appendix's bullet, word for word
	Title    string     `pack:"title,required" json:"title"` // short label, bokmål
	Activity string     `pack:"activity,required" json:"activity"`
	Evidence []Evidence `pack:"evidence,required" json:"evidence"`
	// Principles are NSM principle ids the need bears on, where one fits;
	// the link is the editor's judgment, explained in PrinciplesNotes.
	Principles      []string `pack:"principles" json:"principles,omitempty"`
	PrinciplesNotes string   `pack:"principles_notes" json:"principles_notes,omitempty"`
	Source          Citation `pack:"source,required" json:"source"`
	Notes           string   `pack:"notes" json:"notes,omitempty"`
	Origin          Origin   `pack:"-" json:"origin"`
}
