package demo

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/go-ddt/ddt/runtime/integrations/ddttemplate"
	"github.com/open-feature/go-sdk/openfeature"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// App is the demo school dashboard.
type App struct {
	db          *sql.DB
	flags       *Flags
	openFeature *openfeature.Client // the checkout page's flags
	log         *slog.Logger
	pages       *template.Template
}

// New returns the app on db, logging to log.
func New(db *sql.DB, log *slog.Logger) (*App, error) {
	of, err := newOpenFeatureClient()
	if err != nil {
		return nil, err
	}
	a := &App{db: db, flags: &Flags{db: db}, openFeature: of, log: log}
	// The "flag" function is replaced per request (see render); this one
	// only lets the templates parse.
	funcs := template.FuncMap{"flag": func(string) bool { return false }, "dict": dict}
	a.pages = template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	return a, nil
}

// Handler returns the app's routes. Every route sees the current user in its
// request context.
func (a *App) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.dashboard)
	mux.HandleFunc("GET /old-dashboard", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	mux.HandleFunc("GET /students", a.students)
	mux.HandleFunc("GET /api/students", a.apiStudents)
	mux.HandleFunc("GET /reports", a.reports)
	mux.HandleFunc("GET /checkout", a.checkout)
	mux.HandleFunc("GET /as/{user}", a.switchUser)
	mux.Handle("GET /static/", http.FileServerFS(staticFS))
	return a.withUser(mux)
}

// withUser puts the user named by the "user" cookie (default alice) into
// the request context.
func (a *App) withUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := "alice"
		if c, err := r.Cookie("user"); err == nil {
			name = c.Value
		}
		u, err := a.user(r.Context(), name)
		if err != nil {
			u, _ = a.user(r.Context(), "alice")
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
}

func (a *App) user(ctx context.Context, name string) (*User, error) {
	u := &User{Name: name}
	err := a.db.QueryRowContext(ctx, "SELECT role, beta FROM users WHERE name = ?", name).Scan(&u.Role, &u.Beta)
	return u, err
}

func (a *App) switchUser(w http.ResponseWriter, r *http.Request) {
	if _, err := a.user(r.Context(), r.PathValue("user")); err != nil {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "user", Value: r.PathValue("user"), Path: "/", SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// Student is one row of the students table.
type Student struct {
	ID     int     `json:"id"`
	Name   string  `json:"name"`
	Class  string  `json:"class"`
	Grade  float64 `json:"grade"`
	Absent int     `json:"absent"`
}

func (a *App) loadStudents(ctx context.Context) ([]Student, error) {
	rows, err := a.db.QueryContext(ctx, "SELECT id, name, class, grade, absent FROM students ORDER BY class, name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Student
	for rows.Next() {
		var s Student
		if err := rows.Scan(&s.ID, &s.Name, &s.Class, &s.Grade, &s.Absent); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// dashboard is the seed's school_dashboard view.
func (a *App) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := UserFrom(ctx)
	page := "old_dashboard.html"
	if a.flags.FeatureEnabled(ctx, "redesigned-dashboard") {
		page = "new_dashboard.html"
	}
	students, err := a.loadStudents(ctx)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The weekly digest goes to the viewer and to the class teacher. It is
	// evaluated twice, with different users: the seed's "why is it true
	// earlier and false later?".
	digestForMe := a.flags.FeatureEnabled(ctx, "weekly-digest")
	var insights []string
	var digestForTeacher bool
	var wg sync.WaitGroup
	wg.Go(func() {
		if a.flags.FeatureEnabled(ctx, "grade-insights") {
			insights = gradeInsights(students)
		}
	})
	wg.Go(func() {
		teacher, err := a.user(ctx, "bob")
		if err == nil {
			digestForTeacher = a.flags.EnabledFor(teacher, "weekly-digest")
		}
	})
	wg.Wait()
	a.render(w, r, page, map[string]any{
		"User": user, "Students": students, "Insights": insights,
		"DigestForMe": digestForMe, "DigestForTeacher": digestForTeacher,
	})
}

func gradeInsights(students []Student) []string {
	var out []string
	for _, s := range students {
		switch {
		case s.Grade < 70:
			out = append(out, s.Name+" may need support ("+strconv.FormatFloat(s.Grade, 'f', 1, 64)+")")
		case s.Absent >= 4:
			out = append(out, s.Name+" has missed "+strconv.Itoa(s.Absent)+" days")
		}
	}
	return out
}

func (a *App) students(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, "students.html", map[string]any{"User": UserFrom(r.Context())})
}

// apiStudents is the JSON endpoint the students page calls with fetch.
func (a *App) apiStudents(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	students, err := a.loadStudents(ctx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !a.flags.FeatureEnabled(ctx, "grade-insights") {
		for i := range students {
			students[i].Grade = 0
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"students": students})
}

// reports logs what it does, for the toolbar's log records.
func (a *App) reports(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user := UserFrom(ctx)
	a.log.InfoContext(ctx, "reports page requested", "user", user.Name, "role", user.Role)
	ready := a.flags.FeatureEnabled(ctx, "dark-launch-reports")
	if !ready {
		a.log.WarnContext(ctx, "reports are not launched yet", "flag", "dark-launch-reports")
	}
	a.render(w, r, "reports.html", map[string]any{"User": user, "Ready": ready})
}

// render executes a page with a "flag" function bound to this request, so
// templates can evaluate flags too (the seed's template-side checks).
func (a *App) render(w http.ResponseWriter, r *http.Request, page string, data map[string]any) {
	t, err := a.pages.Clone()
	if err == nil {
		ctx := r.Context()
		t = t.Funcs(template.FuncMap{"flag": func(name string) bool { return a.flags.FeatureEnabled(ctx, name) }})
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// ddttemplate records the execution for the Templates panel.
		err = ddttemplate.ExecuteTemplate(ctx, t, w, page, data)
	}
	if err != nil {
		a.fail(w, r, err)
	}
}

func (a *App) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.log.ErrorContext(r.Context(), "request failed", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// dict builds a map from key, value pairs, for passing several values to a
// template.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}
