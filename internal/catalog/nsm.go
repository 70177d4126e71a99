package catalog

// NSMSource is one of the sources the NSM catalogue was compiled from; its
// id is the code measures cite ("S3").
type NSMSource struct {
	ID          string `pack:"id,required" json:"id"`
	Description string `pack:"description,required" json:"description"`
	URL         string `pack:"url" json:"url,omitempty"`
	Notes       string `pack:"notes" json:"notes,omitempty"`
	Origin      Origin `pack:"-" json:"origin"`
}

// Category is one of the four categories of NSM's Grunnprinsipper.
type Category struct {
	ID     string   `pack:"id,required" json:"id"` // "1".."4"
	Title  string   `pack:"title,required" json:"title"`
	Source Citation `pack:"source,required" json:"source"`
	Origin Origin   `pack:"-" json:"origin"`
}

// Principle is one of NSM's 21 principles.
type Principle struct {
	ID       string   `pack:"id,required" json:"id"`             // "2.3"
	Category string   `pack:"category,required" json:"category"` // "2"
	Title    string   `pack:"title,required" json:"title"`
	Source   Citation `pack:"source,required" json:"source"`
	Notes    string   `pack:"notes" json:"notes,omitempty"` // gaps in the measure list, as research found them
	Origin   Origin   `pack:"-" json:"origin"`
}

// Measure is one of NSM's measures (tiltak) under a principle.
type Measure struct {
	ID        string `pack:"id,required" json:"id"` // "2.3.1"
	Principle string `pack:"principle,required" json:"principle"`
	// IDInferred is true when the id was inferred from order, not seen.
	IDInferred bool `pack:"id_inferred" json:"id_inferred,omitempty"`
	// Title is NSM's own wording. It is filled only from NSM's measure
	// spreadsheet (ImportMeasures), never written by hand.
	Title string `pack:"title" json:"title,omitempty"`
	// Paraphrase is a short Norwegian summary in the editor's own words,
	// NOT NSM's text; it stays beside Title once the official text is in.
	Paraphrase string     `pack:"paraphrase" json:"paraphrase,omitempty"`
	Priority   string     `pack:"priority" json:"priority,omitempty"` // NSM's prioritisation, as written in the spreadsheet
	ISO27002   string     `pack:"iso27002" json:"iso27002,omitempty"` // NSM's mapping to ISO/IEC 27002, as written in the spreadsheet
	Sources    []string   `pack:"sources" json:"sources,omitempty"`   // NSMSource ids
	Confidence Confidence `pack:"confidence,required" json:"confidence"`
	Notes      string     `pack:"notes" json:"notes,omitempty"`
	Origin     Origin     `pack:"-" json:"origin"`
}
