package demo

import (
	"context"
	"database/sql"
	"slices"
	"strings"
)

// User is who is looking at the dashboard.
type User struct {
	Name string
	Role string // student, teacher or admin
	Beta bool
}

type userKey struct{}

// WithUser returns ctx carrying u, the "current user" that flags are
// evaluated for.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user in ctx, or nil.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// Flags evaluates the feature flags stored in the database.
type Flags struct{ db *sql.DB }

// FeatureEnabled reports whether the flag called name is on for the user in
// ctx. It is the seed article's feature_enabled, with the current user as
// context, and the toolbar's Feature Flags panel lists every call.
//
//ddt:flag
func (f *Flags) FeatureEnabled(ctx context.Context, name string) bool {
	return f.evaluate(ctx, name, UserFrom(ctx))
}

// EnabledFor reports whether the flag is on for a given user. It has no
// context parameter: its calls are attributed to the request through the
// goroutine that makes them.
//
//ddt:flag
func (f *Flags) EnabledFor(u *User, name string) bool {
	return f.evaluate(context.Background(), name, u)
}

func (f *Flags) evaluate(ctx context.Context, name string, u *User) bool {
	var enabled, betaOnly bool
	var roles string
	err := f.db.QueryRowContext(ctx,
		"SELECT enabled, roles, beta_only FROM flags WHERE name = ?", name).Scan(&enabled, &roles, &betaOnly)
	if err != nil || !enabled || u == nil {
		return false
	}
	if betaOnly && !u.Beta {
		return false
	}
	return roles == "*" || slices.Contains(strings.Split(roles, ","), u.Role)
}
