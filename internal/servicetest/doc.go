// Package servicetest gives tests the PostgreSQL and Redis servers they
// run against: the shared ones that .ci/services.sh starts
// (DDT_TEST_POSTGRES, DDT_TEST_REDIS), and private ones that a test may
// stop and start again, for outages. Without a server a test is skipped
// with a message, unless DDT_REQUIRE_SERVICES=1 (as in CI) makes it fail.
package servicetest
