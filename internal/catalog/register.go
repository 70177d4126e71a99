package catalog

// Crosswalk names the column of a register that maps each code to the codes
// of the same area in another register, separated by ";".
type Crosswalk struct {
	Register string `pack:"register,required" json:"register"`
	Column   string `pack:"column,required" json:"column"`
}

// Register is a list of municipalities or counties valid for a span of
// years, kept as a CSV file beside the YAML that describes it.
type Register struct {
	ID    string       `pack:"id,required" json:"id"`
	Title string       `pack:"title,required" json:"title"`
	Unit  RegisterUnit `pack:"unit,required" json:"unit"`
	File  string       `pack:"file,required" json:"file"` // CSV, relative to the YAML file's directory
	// ValidFrom and ValidTo are the first and last year the structure is
	// valid (1 January); ValidTo 0 means still valid.
	ValidFrom int `pack:"valid_from,required" json:"valid_from"`
	ValidTo   int `pack:"valid_to" json:"valid_to,omitempty"`
	// Count is the number of rows the file must have; a file that differs
	// is an error, so the figure in the YAML and the data cannot drift.
	Count                int        `pack:"count,required" json:"count"`
	CodeColumn           string     `pack:"code_column,required" json:"code_column"`
	NameColumn           string     `pack:"name_column,required" json:"name_column"`
	ParentColumn         string     `pack:"parent_column" json:"parent_column,omitempty"` // the county code of a municipality
	PopulationColumn     string     `pack:"population_column" json:"population_column,omitempty"`
	PopulationDateColumn string     `pack:"population_date_column" json:"population_date_column,omitempty"`
	Crosswalk            *Crosswalk `pack:"crosswalk" json:"crosswalk,omitempty"`
	Source               Citation   `pack:"source,required" json:"source"`
	Notes                string     `pack:"notes" json:"notes,omitempty"`
	Origin               Origin     `pack:"-" json:"origin"`

	// Path is the CSV file as opened; Areas its rows in file order.
	Path  string `pack:"-" json:"path"`
	Areas []Area `pack:"-" json:"areas"`
}

// ValidIn reports whether the register's structure is the one valid in year.
func (r *Register) ValidIn(year int) bool {
	return year >= r.ValidFrom && (r.ValidTo == 0 || year <= r.ValidTo)
}

// Area returns the area with the code, if the register has it.
func (r *Register) Area(code string) (*Area, bool) {
	for i := range r.Areas {
		if r.Areas[i].Code == code {
			return &r.Areas[i], true
		}
	}
	return nil, false
}

// Area is one municipality or county of a register.
type Area struct {
	Code   string `json:"code"` // with leading zeros: "0301", "03"
	Name   string `json:"name"`
	Parent string `json:"parent,omitempty"` // county code of a municipality
	// Population is 0 when the register has none for the area.
	Population     int    `json:"population,omitempty"`
	PopulationDate string `json:"population_date,omitempty"`
	// Crosswalk holds the codes of the same area in the crosswalk register.
	Crosswalk []string `json:"crosswalk,omitempty"`
	// Columns holds every column of the row, by header name.
	Columns map[string]string `json:"columns"`
	Line    int               `json:"line"` // line in the CSV file
}

// SizeClass is a band of population, lower and upper limit inclusive.
type SizeClass struct {
	Label string `pack:"label,required" json:"label"` // as the source writes it: "2 000–4 999"
	Min   int    `pack:"min" json:"min"`
	Max   int    `pack:"max" json:"max,omitempty"` // 0: no upper limit
}

// Count is the number of municipalities or county municipalities in a year
// (1 January), in total or in one size class, with its source. The analysis
// converts shares to numbers with these, never with constants in code.
type Count struct {
	ID        string     `pack:"id,required" json:"id"`
	Year      int        `pack:"year,required" json:"year"`
	Unit      Population `pack:"unit,required" json:"unit"` // kommuner or fylkeskommuner
	Value     int        `pack:"value,required" json:"value"`
	SizeClass *SizeClass `pack:"size_class" json:"size_class,omitempty"`
	Basis     CountBasis `pack:"basis,required" json:"basis"`
	Source    Citation   `pack:"source,required" json:"source"`
	Notes     string     `pack:"notes" json:"notes,omitempty"`
	Origin    Origin     `pack:"-" json:"origin"`
}
