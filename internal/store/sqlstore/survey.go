package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

var _ store.Survey = (*DB)(nil)

const roundColumns = `id, name, year, framework, settings, opens_on, closes_on, status, created_by, created_at, opened_at, closed_at`

func roundFields(r *store.Round) []any {
	return []any{&r.ID, &r.Name, &r.Year, &r.Framework, (*rawText)(&r.Settings), &r.OpensOn, &r.ClosesOn, &r.Status,
		(*nullInt64)(&r.CreatedBy), scanTime(&r.CreatedAt), scanTime(&r.OpenedAt), scanTime(&r.ClosedAt)}
}

// boolInt binds a flag kept as an integer (0 or 1) on both databases.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// rawText scans a text column into bytes.
type rawText []byte

func (b *rawText) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*b = []byte(v)
	case []byte:
		*b = append([]byte(nil), v...)
	case nil:
		*b = nil
	default:
		return fmt.Errorf("text column: %T", src)
	}
	return nil
}

// CreateRound stores a round in draft with its measures.
func (db *DB) CreateRound(ctx context.Context, r store.Round, measures []store.RoundMeasure) error {
	if r.ID == "" || r.Name == "" || len(measures) == 0 {
		return fault.Errorf(fault.Invalid, "a round needs an id, a name and measures")
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM rounds WHERE id = ?`, r.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fault.WithUser(fault.Conflict, fmt.Sprintf("Det finnes allerede en runde med id «%s».", r.ID), fmt.Errorf("round %s exists", r.ID))
		}
		if _, err := tx.exec(ctx, `INSERT INTO rounds (`+roundColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`,
			r.ID, r.Name, r.Year, r.Framework, string(r.Settings), r.OpensOn, r.ClosesOn, store.RoundDraft,
			nullID(r.CreatedBy), db.timeArg(r.CreatedAt)); err != nil {
			return err
		}
		stmt, err := tx.prepare(ctx, `INSERT INTO round_measures (round_id, pos, measure, principle, category, title, summary, source, priority, provider)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i, m := range measures {
			if _, err := stmt.ExecContext(ctx, r.ID, i+1, m.Measure, m.Principle, m.Category, m.Title, m.Summary, m.Source, m.Priority, boolInt(m.Provider)); err != nil {
				return fmt.Errorf("measure %s: %w", m.Measure, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create round %s: %w", r.ID, err)
	}
	return nil
}

// Round returns a round with its measures in order.
func (db *DB) Round(ctx context.Context, id string) (store.Round, []store.RoundMeasure, error) {
	var r store.Round
	ms := []store.RoundMeasure{}
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = ?`, id).Scan(roundFields(&r)...); err != nil {
			return notFound(err, "round %s does not exist", id)
		}
		return scanRows(ctx, tx, func(m *store.RoundMeasure) []any {
			return []any{&m.Measure, &m.Principle, &m.Category, &m.Title, &m.Summary, &m.Source, &m.Priority, &m.Provider}
		}, func(m *store.RoundMeasure) error {
			ms = append(ms, *m)
			return nil
		}, `SELECT measure, principle, category, title, summary, source, priority, provider FROM round_measures WHERE round_id = ? ORDER BY pos`, id)
	})
	if err != nil {
		return r, nil, fmt.Errorf("round %s: %w", id, err)
	}
	return r, ms, nil
}

// RoundInfo returns a round without its measures, in one statement.
func (db *DB) RoundInfo(ctx context.Context, id string) (store.Round, error) {
	var r store.Round
	err := db.readOne(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT `+roundColumns+` FROM rounds WHERE id = ?`, id).Scan(roundFields(&r)...)
		return notFound(err, "round %s does not exist", id)
	})
	if err != nil {
		return r, fmt.Errorf("round %s: %w", id, err)
	}
	return r, nil
}

// Rounds lists the rounds, newest year first.
func (db *DB) Rounds(ctx context.Context) ([]store.Round, error) {
	list := []store.Round{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, roundFields, func(r *store.Round) error {
			list = append(list, *r)
			return nil
		}, `SELECT `+roundColumns+` FROM rounds ORDER BY year DESC, created_at DESC, id`)
	})
	if err != nil {
		return nil, fmt.Errorf("rounds: %w", err)
	}
	return list, nil
}

// SetRoundStatus moves a round forward: draft → open → closed.
func (db *DB) SetRoundStatus(ctx context.Context, id, status string, at time.Time) error {
	var from []string
	var column string
	switch status {
	case store.RoundOpen:
		from, column = []string{store.RoundDraft}, "opened_at"
	case store.RoundClosed:
		from, column = []string{store.RoundDraft, store.RoundOpen}, "closed_at"
	default:
		return fault.Errorf(fault.Invalid, "a round cannot be set to %q", status)
	}
	err := db.writeTx(ctx, func(tx *Tx) error {
		var have string
		if err := tx.queryRow(ctx, `SELECT status FROM rounds WHERE id = ?`, id).Scan(&have); err != nil {
			return notFound(err, "round %s does not exist", id)
		}
		ok := false
		for _, f := range from {
			ok = ok || have == f
		}
		if !ok {
			return fault.WithUser(fault.Conflict, roundStatusMessage(have, status), fmt.Errorf("round %s is %s, cannot become %s", id, have, status))
		}
		_, err := tx.exec(ctx, `UPDATE rounds SET status = ?, `+column+` = ? WHERE id = ? AND status = ?`, status, db.timeArg(at), id, have)
		return err
	})
	if err != nil {
		return fmt.Errorf("round %s: %w", id, err)
	}
	return nil
}

func roundStatusMessage(have, want string) string {
	switch {
	case have == store.RoundClosed:
		return "Runden er lukket og kan ikke endres."
	case have == want:
		return "Runden har allerede den statusen."
	}
	return "Runden kan ikke endres slik."
}

// ExtendRound gives one organisation a later last day.
func (db *DB) ExtendRound(ctx context.Context, roundID string, orgID int64, closesOn string, by int64, at time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		var status, roundCloses string
		if err := tx.queryRow(ctx, `SELECT status, closes_on FROM rounds WHERE id = ?`, roundID).Scan(&status, &roundCloses); err != nil {
			return notFound(err, "round %s does not exist", roundID)
		}
		if status == store.RoundClosed {
			return fault.WithUser(fault.Conflict, "Runden er lukket og kan ikke endres.", fmt.Errorf("round %s is closed", roundID))
		}
		if closesOn <= roundCloses {
			return fault.WithUser(fault.Invalid, "Den nye fristen må være etter rundens frist.", fmt.Errorf("extension %s not after %s", closesOn, roundCloses))
		}
		if _, err := tx.exec(ctx, `DELETE FROM round_extensions WHERE round_id = ? AND org_id = ?`, roundID, orgID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO round_extensions (round_id, org_id, closes_on, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)`,
			roundID, orgID, closesOn, nullID(by), db.timeArg(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("extend round %s: %w", roundID, err)
	}
	return nil
}

// The checks of who may read and write an organisation's answers, as SQL
// conditions: the acting user's roles and grants are looked up in the same
// transaction as the data. Reading needs a role in the organisation or a
// grant in force; writing a role.
// The command line acts as store.Operator (-1), which passes; no user of
// the web has that id.
const (
	canWriteSQL = `(? = -1 OR EXISTS (SELECT 1 FROM roles a WHERE a.user_id = ? AND a.org_id = ? AND a.role IN ('lead', 'respondent', 'provider')))`
	canReadSQL  = `(? = -1 OR EXISTS (SELECT 1 FROM roles a WHERE a.user_id = ? AND a.org_id = ? AND a.role IN ('lead', 'respondent', 'provider'))
		OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = ? AND g.org_id = ?
		AND g.revoked_at IS NULL AND g.granted_at <= ? AND g.expires_at > ?))`
	canSubmitSQL = `(? = -1 OR EXISTS (SELECT 1 FROM roles a WHERE a.user_id = ? AND a.org_id = ? AND a.role = 'lead'))`
)

// readArgs and writeArgs are the arguments of canReadSQL and the write
// checks.
func (db *DB) readArgs(actorID, orgID int64, now time.Time) []any {
	return []any{actorID, actorID, orgID, actorID, orgID, db.timeArg(now), db.timeArg(now)}
}

func writeArgs(actorID, orgID int64) []any { return []any{actorID, actorID, orgID} }

// userRef binds who did something: a user's id, or NULL for the command
// line (store.Operator).
func userRef(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id > 0} }

var errNoAnswerAccess = fault.WithUser(fault.Forbidden, "Du har ikke tilgang til denne organisasjonens svar.", errors.New("no role or grant for the organisation's answers"))

// mayRead checks, in tx, that actor may read the organisation's answers.
func (db *DB) mayRead(ctx context.Context, tx *Tx, actorID, orgID int64, now time.Time) error {
	var ok bool
	if err := tx.queryRow(ctx, `SELECT `+canReadSQL, db.readArgs(actorID, orgID, now)...).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return errNoAnswerAccess
	}
	return nil
}

func (db *DB) mayWrite(ctx context.Context, tx *Tx, actorID, orgID int64, check string) error {
	var ok bool
	if err := tx.queryRow(ctx, `SELECT `+check, writeArgs(actorID, orgID)...).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return errNoAnswerAccess
	}
	return nil
}

const answerColumns = `measure, answer, reason, maturity, comment, evidence, inherited_from, change, updated_by, updated_at`

func answerFields(a *store.Answer) []any {
	return []any{&a.Measure, &a.Answer, &a.Reason, (*maturity)(&a.Maturity), &a.Comment, &a.Evidence,
		(*nullInt64)(&a.InheritedFrom), &a.Change, (*nullInt64)(&a.UpdatedBy), scanTime(&a.UpdatedAt)}
}

// maturity scans a nullable maturity: NULL is -1.
type maturity int

func (m *maturity) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	*m = -1
	if v.Valid {
		*m = maturity(v.Int64)
	}
	return nil
}

func maturityArg(m int) any {
	if m < 0 {
		return nil
	}
	return m
}

// OrgAnswers returns an organisation's answers in a round.
func (db *DB) OrgAnswers(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) (store.OrgAnswers, error) {
	out := store.OrgAnswers{Own: []store.Answer{}, FromProvider: []store.ProviderAnswer{}, Versions: map[string]int{}}
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := db.mayRead(ctx, tx, actorID, orgID, now); err != nil {
			return err
		}
		var opens, closes string
		if err := tx.queryRow(ctx, `SELECT opens_on, closes_on FROM rounds WHERE id = ?`, roundID).Scan(&opens, &closes); err != nil {
			return notFound(err, "round %s does not exist", roundID)
		}
		out.ClosesOn = closes
		var ext string
		if err := tx.queryRow(ctx, `SELECT closes_on FROM round_extensions WHERE round_id = ? AND org_id = ?`, roundID, orgID).Scan(&ext); err == nil {
			out.ClosesOn = ext
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err := scanRows(ctx, tx, answerFields, func(a *store.Answer) error {
			out.Own = append(out.Own, *a)
			return nil
		}, `SELECT `+answerColumns+` FROM answers WHERE round_id = ? AND org_id = ? AND `+canReadSQL+` ORDER BY measure`,
			append([]any{roundID, orgID}, db.readArgs(actorID, orgID, now)...)...)
		if err != nil {
			return err
		}
		// The answers of the organisation's IT providers in the round's
		// time, for the measures providers answer.
		err = scanRows(ctx, tx, func(p *store.ProviderAnswer) []any {
			return append(answerFields(&p.Answer), &p.ProviderID, &p.ProviderCode, &p.ProviderName)
		}, func(p *store.ProviderAnswer) error {
			out.FromProvider = append(out.FromProvider, *p)
			return nil
		}, `SELECT a.measure, a.answer, a.reason, a.maturity, a.comment, a.evidence, a.inherited_from, a.change, a.updated_by, a.updated_at,
				p.id, p.code, p.name
			FROM org_members m
			JOIN organisations p ON p.id = m.parent_id AND p.kind = 'provider'
			JOIN answers a ON a.org_id = p.id AND a.round_id = ?
			JOIN round_measures rm ON rm.round_id = a.round_id AND rm.measure = a.measure AND rm.provider = 1
			WHERE m.member_id = ? AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
			AND `+canReadSQL+`
			ORDER BY a.measure, p.code`,
			append([]any{roundID, orgID, closes, opens}, db.readArgs(actorID, orgID, now)...)...)
		if err != nil {
			return err
		}
		err = scanRows(ctx, tx, func(v *struct {
			p string
			n int
		}) []any {
			return []any{&v.p, &v.n}
		}, func(v *struct {
			p string
			n int
		}) error {
			out.Versions[v.p] = v.n
			return nil
		}, `SELECT principle, version FROM answer_versions WHERE round_id = ? AND org_id = ?`, roundID, orgID)
		if err != nil {
			return err
		}
		err = tx.queryRow(ctx, `SELECT submitted_at, submitted_by FROM submissions WHERE round_id = ? AND org_id = ?`, roundID, orgID).
			Scan(scanTime(&out.Submitted), (*nullInt64)(&out.SubmittedBy))
		if errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
		return err
	})
	if err != nil {
		return out, fmt.Errorf("answers of organisation %d in round %s: %w", orgID, roundID, err)
	}
	return out, nil
}

// answerJSON is an answer's value as the history keeps it.
type answerJSON struct {
	Answer        string `json:"answer"`
	Reason        string `json:"reason,omitempty"`
	Maturity      *int   `json:"maturity,omitempty"`
	Comment       string `json:"comment,omitempty"`
	Evidence      string `json:"evidence,omitempty"`
	InheritedFrom int64  `json:"inherited_from,omitempty"`
}

func historyValue(a store.Answer) []byte {
	v := answerJSON{Answer: a.Answer, Reason: a.Reason, Comment: a.Comment, Evidence: a.Evidence, InheritedFrom: a.InheritedFrom}
	if a.Maturity >= 0 {
		m := a.Maturity
		v.Maturity = &m
	}
	b, _ := json.Marshal(v)
	return b
}

func sameAnswer(a, b store.Answer) bool {
	return a.Answer == b.Answer && a.Reason == b.Reason && a.Maturity == b.Maturity && a.Comment == b.Comment &&
		a.Evidence == b.Evidence && a.InheritedFrom == b.InheritedFrom
}

// openFor checks in tx that the round takes answers from the organisation
// on today's date: open, opened, not past its last day, not submitted.
func (db *DB) openFor(ctx context.Context, tx *Tx, roundID string, orgID int64, now time.Time) error {
	var status, opens, closes string
	if err := tx.queryRow(ctx, `SELECT status, opens_on, closes_on FROM rounds WHERE id = ?`, roundID).Scan(&status, &opens, &closes); err != nil {
		return notFound(err, "round %s does not exist", roundID)
	}
	var ext string
	if err := tx.queryRow(ctx, `SELECT closes_on FROM round_extensions WHERE round_id = ? AND org_id = ?`, roundID, orgID).Scan(&ext); err == nil {
		closes = ext
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	today := now.In(osloZone()).Format("2006-01-02")
	switch {
	case status == store.RoundClosed:
		return fault.WithUser(fault.Conflict, "Runden er lukket; svarene kan ikke endres.", fmt.Errorf("round %s is closed", roundID))
	case status != store.RoundOpen || today < opens:
		return fault.WithUser(fault.Conflict, "Runden er ikke åpnet ennå.", fmt.Errorf("round %s is not open", roundID))
	case today > closes:
		return fault.WithUser(fault.Conflict, "Fristen for runden er ute. Be en administrator om utsatt frist.", fmt.Errorf("round %s closed for the organisation on %s", roundID, closes))
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM submissions WHERE round_id = ? AND org_id = ?`, roundID, orgID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fault.WithUser(fault.Conflict, "Svarene er sendt inn. En administrator kan åpne dem igjen.", fmt.Errorf("organisation %d has submitted", orgID))
	}
	return nil
}

// osloZone is Norway's time zone: a round's dates are Norwegian days.
func osloZone() *time.Location {
	if loc, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return loc
	}
	return time.UTC
}

// SaveAnswers stores the answers to one principle's measures.
func (db *DB) SaveAnswers(ctx context.Context, actorID int64, roundID string, orgID int64, principle string, expect int, answers []store.Answer, now time.Time) (int, error) {
	version := 0
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{lockAnswers, fmt.Sprintf("%s/%d", roundID, orgID)}); err != nil {
			return err
		}
		if err := db.mayWrite(ctx, tx, actorID, orgID, canWriteSQL); err != nil {
			return err
		}
		if err := db.openFor(ctx, tx, roundID, orgID, now); err != nil {
			return err
		}
		var kind string
		if err := tx.queryRow(ctx, `SELECT kind FROM organisations WHERE id = ?`, orgID).Scan(&kind); err != nil {
			return notFound(err, "organisation %d does not exist", orgID)
		}
		measures := map[string]bool{}
		err := scanRows(ctx, tx, func(m *struct {
			id       string
			provider bool
		}) []any {
			return []any{&m.id, &m.provider}
		}, func(m *struct {
			id       string
			provider bool
		}) error {
			// An IT provider answers only the measures providers answer.
			measures[m.id] = kind != string(store.Provider) || m.provider
			return nil
		}, `SELECT measure, provider FROM round_measures WHERE round_id = ? AND principle = ?`, roundID, principle)
		if err != nil {
			return err
		}
		if len(measures) == 0 {
			return fault.Errorf(fault.NotFound, "round %s has no principle %s", roundID, principle)
		}
		for _, a := range answers {
			if !measures[a.Measure] {
				return fault.Errorf(fault.Invalid, "measure %s is not one of principle %s that this organisation answers in round %s", a.Measure, principle, roundID)
			}
		}
		err = tx.queryRow(ctx, `SELECT version FROM answer_versions WHERE round_id = ? AND org_id = ? AND principle = ?`, roundID, orgID, principle).Scan(&version)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if version != expect {
			return fault.WithUser(fault.Conflict,
				"Noen andre har lagret svar på dette prinsippet etter at du åpnet det. Svarene dine er ikke lagret; se de nye svarene og legg inn dine på nytt.",
				fmt.Errorf("principle %s is at version %d, the form was at %d", principle, version, expect))
		}
		for _, a := range answers {
			if err := db.saveAnswer(ctx, tx, actorID, roundID, orgID, a, now); err != nil {
				return err
			}
		}
		version++
		if version == 1 {
			_, err = tx.exec(ctx, `INSERT INTO answer_versions (round_id, org_id, principle, version) VALUES (?, ?, ?, 1)`, roundID, orgID, principle)
		} else {
			_, err = tx.exec(ctx, `UPDATE answer_versions SET version = ? WHERE round_id = ? AND org_id = ? AND principle = ?`, version, roundID, orgID, principle)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("save answers to %s for organisation %d: %w", principle, orgID, err)
	}
	return version, nil
}

// saveAnswer writes one answer, with its change in the history, unless
// it is unchanged.
func (db *DB) saveAnswer(ctx context.Context, tx *Tx, actorID int64, roundID string, orgID int64, a store.Answer, now time.Time) error {
	var old store.Answer
	err := tx.queryRow(ctx, `SELECT `+answerColumns+` FROM answers WHERE round_id = ? AND org_id = ? AND measure = ?`, roundID, orgID, a.Measure).
		Scan(answerFields(&old)...)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if exists && sameAnswer(old, a) {
		return nil
	}
	var oldJSON []byte
	if exists {
		oldJSON = historyValue(old)
	}
	var change int64
	if err := tx.queryRow(ctx, `INSERT INTO answer_history (round_id, org_id, measure, old, new, changed_by, changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, roundID, orgID, a.Measure, string(oldJSON), string(historyValue(a)),
		userRef(actorID), db.timeArg(now)).Scan(&change); err != nil {
		return err
	}
	if exists {
		_, err = tx.exec(ctx, `UPDATE answers SET answer = ?, reason = ?, maturity = ?, comment = ?, evidence = ?, inherited_from = ?,
			change = ?, updated_by = ?, updated_at = ? WHERE round_id = ? AND org_id = ? AND measure = ?`,
			a.Answer, a.Reason, maturityArg(a.Maturity), a.Comment, a.Evidence, nullID(a.InheritedFrom), change, userRef(actorID), db.timeArg(now),
			roundID, orgID, a.Measure)
	} else {
		_, err = tx.exec(ctx, `INSERT INTO answers (round_id, org_id, measure, answer, reason, maturity, comment, evidence, inherited_from, change, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			roundID, orgID, a.Measure, a.Answer, a.Reason, maturityArg(a.Maturity), a.Comment, a.Evidence, nullID(a.InheritedFrom), change, userRef(actorID), db.timeArg(now))
	}
	return err
}

// ImportAnswers stores many organisations' answers in one transaction.
func (db *DB) ImportAnswers(ctx context.Context, actorID int64, roundID string, answers map[int64][]store.Answer, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		principleOf := map[string]string{}
		providerMeasure := map[string]bool{}
		err := scanRows(ctx, tx, func(m *store.RoundMeasure) []any { return []any{&m.Measure, &m.Principle, &m.Provider} },
			func(m *store.RoundMeasure) error {
				principleOf[m.Measure], providerMeasure[m.Measure] = m.Principle, m.Provider
				return nil
			}, `SELECT measure, principle, provider FROM round_measures WHERE round_id = ?`, roundID)
		if err != nil {
			return err
		}
		for orgID, list := range answers {
			if err := db.d.lock(ctx, tx, lockKey{lockAnswers, fmt.Sprintf("%s/%d", roundID, orgID)}); err != nil {
				return err
			}
			if err := db.mayWrite(ctx, tx, actorID, orgID, canWriteSQL); err != nil {
				return err
			}
			if err := db.openFor(ctx, tx, roundID, orgID, now); err != nil {
				return err
			}
			var kind string
			if err := tx.queryRow(ctx, `SELECT kind FROM organisations WHERE id = ?`, orgID).Scan(&kind); err != nil {
				return notFound(err, "organisation %d does not exist", orgID)
			}
			touched := map[string]bool{}
			for _, a := range list {
				p, ok := principleOf[a.Measure]
				if !ok || (kind == string(store.Provider) && !providerMeasure[a.Measure]) {
					return fault.Errorf(fault.Invalid, "measure %s is not one organisation %d answers in round %s", a.Measure, orgID, roundID)
				}
				if err := db.saveAnswer(ctx, tx, actorID, roundID, orgID, a, now); err != nil {
					return err
				}
				touched[p] = true
			}
			for p := range touched {
				res, err := tx.exec(ctx, `UPDATE answer_versions SET version = version + 1 WHERE round_id = ? AND org_id = ? AND principle = ?`, roundID, orgID, p)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n == 0 {
					if _, err := tx.exec(ctx, `INSERT INTO answer_versions (round_id, org_id, principle, version) VALUES (?, ?, ?, 1)`, roundID, orgID, p); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("import answers into round %s: %w", roundID, err)
	}
	return nil
}

// Submit records a lead's submission; inherited answers become the
// organisation's own (marked with the provider they came from).
func (db *DB) Submit(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.d.lock(ctx, tx, lockKey{lockAnswers, fmt.Sprintf("%s/%d", roundID, orgID)}); err != nil {
			return err
		}
		if err := db.mayWrite(ctx, tx, actorID, orgID, canSubmitSQL); err != nil {
			return err
		}
		if err := db.openFor(ctx, tx, roundID, orgID, now); err != nil {
			return err
		}
		var opens, closes string
		if err := tx.queryRow(ctx, `SELECT opens_on, closes_on FROM rounds WHERE id = ?`, roundID).Scan(&opens, &closes); err != nil {
			return err
		}
		// The providers' answers to measures the organisation has not
		// answered itself; of two providers, the one with the lowest code.
		var inherit []store.Answer
		seen := map[string]bool{}
		err := scanRows(ctx, tx, func(p *store.ProviderAnswer) []any {
			return append(answerFields(&p.Answer), &p.ProviderID)
		}, func(p *store.ProviderAnswer) error {
			if !seen[p.Measure] {
				seen[p.Measure] = true
				a := p.Answer
				a.InheritedFrom = p.ProviderID
				inherit = append(inherit, a)
			}
			return nil
		}, `SELECT a.measure, a.answer, a.reason, a.maturity, a.comment, a.evidence, a.inherited_from, a.change, a.updated_by, a.updated_at, p.id
			FROM org_members m
			JOIN organisations p ON p.id = m.parent_id AND p.kind = 'provider'
			JOIN answers a ON a.org_id = p.id AND a.round_id = ?
			JOIN round_measures rm ON rm.round_id = a.round_id AND rm.measure = a.measure AND rm.provider = 1
			WHERE m.member_id = ? AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
			AND NOT EXISTS (SELECT 1 FROM answers o WHERE o.round_id = a.round_id AND o.org_id = ? AND o.measure = a.measure)
			ORDER BY a.measure, p.code`, roundID, orgID, closes, opens, orgID)
		if err != nil {
			return err
		}
		for _, a := range inherit {
			if err := db.saveAnswer(ctx, tx, actorID, roundID, orgID, a, now); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `INSERT INTO submissions (round_id, org_id, submitted_by, submitted_at) VALUES (?, ?, ?, ?)`,
			roundID, orgID, userRef(actorID), db.timeArg(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("submit organisation %d in round %s: %w", orgID, roundID, err)
	}
	return nil
}

// Reopen withdraws a submission.
func (db *DB) Reopen(ctx context.Context, roundID string, orgID int64) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		var status string
		if err := tx.queryRow(ctx, `SELECT status FROM rounds WHERE id = ?`, roundID).Scan(&status); err != nil {
			return notFound(err, "round %s does not exist", roundID)
		}
		if status == store.RoundClosed {
			return fault.WithUser(fault.Conflict, "Runden er lukket og kan ikke endres.", fmt.Errorf("round %s is closed", roundID))
		}
		res, err := tx.exec(ctx, `DELETE FROM submissions WHERE round_id = ? AND org_id = ?`, roundID, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "organisation %d has not submitted in round %s", orgID, roundID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reopen organisation %d in round %s: %w", orgID, roundID, err)
	}
	return nil
}

// AnswerHistory lists the changes of an organisation's answers.
func (db *DB) AnswerHistory(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) ([]store.AnswerChange, error) {
	list := []store.AnswerChange{}
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := db.mayRead(ctx, tx, actorID, orgID, now); err != nil {
			return err
		}
		return scanRows(ctx, tx, func(c *store.AnswerChange) []any {
			return []any{&c.ID, &c.Measure, (*rawText)(&c.Old), (*rawText)(&c.New), (*nullInt64)(&c.ChangedBy), (*nullString)(&c.ByEmail), scanTime(&c.ChangedAt)}
		}, func(c *store.AnswerChange) error {
			list = append(list, *c)
			return nil
		}, `SELECT h.id, h.measure, h.old, h.new, h.changed_by, u.email, h.changed_at
			FROM answer_history h LEFT JOIN users u ON u.id = h.changed_by
			WHERE h.round_id = ? AND h.org_id = ? AND `+canReadSQL+` ORDER BY h.id`,
			append([]any{roundID, orgID}, db.readArgs(actorID, orgID, now)...)...)
	})
	if err != nil {
		return nil, fmt.Errorf("history of organisation %d in round %s: %w", orgID, roundID, err)
	}
	return list, nil
}

// Submissions lists who submitted in a round, and when.
func (db *DB) Submissions(ctx context.Context, roundID string) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(v *struct {
			id int64
			at time.Time
		}) []any {
			return []any{&v.id, scanTime(&v.at)}
		}, func(v *struct {
			id int64
			at time.Time
		}) error {
			out[v.id] = v.at
			return nil
		}, `SELECT org_id, submitted_at FROM submissions WHERE round_id = ?`, roundID)
	})
	if err != nil {
		return nil, fmt.Errorf("submissions of round %s: %w", roundID, err)
	}
	return out, nil
}

// SubmittedAnswers returns every answer of every submitted organisation.
func (db *DB) SubmittedAnswers(ctx context.Context, roundID string) ([]store.SubmittedAnswer, error) {
	list := []store.SubmittedAnswer{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(a *store.SubmittedAnswer) []any {
			return append([]any{&a.OrgID, &a.OrgCode}, answerFields(&a.Answer)...)
		}, func(a *store.SubmittedAnswer) error {
			list = append(list, *a)
			return nil
		}, `SELECT a.org_id, o.code, a.measure, a.answer, a.reason, a.maturity, a.comment, a.evidence, a.inherited_from, a.change, a.updated_by, a.updated_at
			FROM answers a JOIN submissions s ON s.round_id = a.round_id AND s.org_id = a.org_id
			JOIN organisations o ON o.id = a.org_id
			WHERE a.round_id = ? ORDER BY o.code, a.measure`, roundID)
	})
	if err != nil {
		return nil, fmt.Errorf("submitted answers of round %s: %w", roundID, err)
	}
	return list, nil
}

// PlanItems lists an organisation's plan.
func (db *DB) PlanItems(ctx context.Context, actorID int64, roundID string, orgID int64, now time.Time) ([]store.PlanItem, error) {
	list := []store.PlanItem{}
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := db.mayRead(ctx, tx, actorID, orgID, now); err != nil {
			return err
		}
		return scanRows(ctx, tx, func(p *store.PlanItem) []any {
			return []any{&p.Measure, &p.Owner, &p.DueOn, &p.Status, &p.Note, (*nullInt64)(&p.UpdatedBy), scanTime(&p.UpdatedAt)}
		}, func(p *store.PlanItem) error {
			list = append(list, *p)
			return nil
		}, `SELECT measure, owner, due_on, status, note, updated_by, updated_at FROM plan_items
			WHERE round_id = ? AND org_id = ? AND `+canReadSQL+` ORDER BY measure`,
			append([]any{roundID, orgID}, db.readArgs(actorID, orgID, now)...)...)
	})
	if err != nil {
		return nil, fmt.Errorf("plan of organisation %d: %w", orgID, err)
	}
	return list, nil
}

// SavePlanItem stores one item of an organisation's plan.
func (db *DB) SavePlanItem(ctx context.Context, actorID int64, roundID string, orgID int64, it store.PlanItem, now time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.mayWrite(ctx, tx, actorID, orgID, canWriteSQL); err != nil {
			return err
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM round_measures WHERE round_id = ? AND measure = ?`, roundID, it.Measure).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fault.Errorf(fault.NotFound, "round %s has no measure %s", roundID, it.Measure)
		}
		if _, err := tx.exec(ctx, `DELETE FROM plan_items WHERE round_id = ? AND org_id = ? AND measure = ?`, roundID, orgID, it.Measure); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO plan_items (round_id, org_id, measure, owner, due_on, status, note, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, roundID, orgID, it.Measure, it.Owner, it.DueOn, it.Status, it.Note, userRef(actorID), db.timeArg(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("save plan item %s: %w", it.Measure, err)
	}
	return nil
}

const serviceColumns = `id, name, url, services, source, notes, added_by, added_at, retired_at`

// ServiceProviders lists the service providers in force, by name.
func (db *DB) ServiceProviders(ctx context.Context) ([]store.ServiceProvider, error) {
	list := []store.ServiceProvider{}
	err := db.readTx(ctx, func(tx *Tx) error {
		return scanRows(ctx, tx, func(p *struct {
			store.ServiceProvider
			services string
		}) []any {
			return []any{&p.ID, &p.Name, &p.URL, &p.services, &p.Source, &p.Notes, (*nullInt64)(&p.AddedBy), scanTime(&p.AddedAt), scanTime(&p.RetiredAt)}
		}, func(p *struct {
			store.ServiceProvider
			services string
		}) error {
			if err := json.Unmarshal([]byte(p.services), &p.Services); err != nil {
				return fmt.Errorf("service provider %d: services: %w", p.ID, err)
			}
			list = append(list, p.ServiceProvider)
			return nil
		}, `SELECT `+serviceColumns+` FROM service_providers WHERE retired_at IS NULL ORDER BY name, id`)
	})
	if err != nil {
		return nil, fmt.Errorf("service providers: %w", err)
	}
	return list, nil
}

// AddServiceProvider stores a provider of services; it needs a source.
func (db *DB) AddServiceProvider(ctx context.Context, p store.ServiceProvider) (store.ServiceProvider, error) {
	if p.Name == "" || p.Source == "" || len(p.Services) == 0 {
		return p, fault.WithUser(fault.Invalid, "En leverandør trenger navn, minst én tjeneste og en kilde.", errors.New("service provider needs name, services and source"))
	}
	services, err := json.Marshal(p.Services)
	if err != nil {
		return p, err
	}
	err = db.writeTx(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `INSERT INTO service_providers (name, url, services, source, notes, added_by, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.Name, p.URL, string(services), p.Source, p.Notes, nullID(p.AddedBy), db.timeArg(p.AddedAt)).Scan(&p.ID)
	})
	if err != nil {
		return p, fmt.Errorf("add service provider: %w", err)
	}
	return p, nil
}

// RetireServiceProvider takes a provider off the list.
func (db *DB) RetireServiceProvider(ctx context.Context, id int64, at time.Time) error {
	err := db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE service_providers SET retired_at = ? WHERE id = ? AND retired_at IS NULL`, db.timeArg(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Errorf(fault.NotFound, "no service provider %d in force", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("retire service provider %d: %w", id, err)
	}
	return nil
}
