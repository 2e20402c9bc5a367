@fault-injection @stu3 @user-restricted
Feature: Rate limiting, timeouts and dropped connections
  The API platform throttles each application (10 requests per second in production, lower on the
  path-to-live) and answers HTTP 429 with Retry-After; on STU3 paths it removes the payload (catalogue
  sections 3, 6 and 10.3). The harness retries an idempotent read after Retry-After within a bounded
  budget, never retries a write, and reports a timeout, a dropped connection or a 429/5xx it did not ask
  for as an environment fault, never as a product defect. These scenarios need a target that can be
  told to throttle or fail, so they run against the simulator only.
  Requirements: A005-ERR-HTTP429, X-ERR-STU3-429-EMPTY, X-HDR-RETRY-AFTER.

  Background:
    Given the caller is a REFERRING_CLINICIAN

  Rule: a caller over its rate limit is told when to come back

    @negative @req=A005-ERR-HTTP429 @req=X-ERR-STU3-429-EMPTY @req=X-HDR-RETRY-AFTER
    Scenario: the third read in a second, over a burst of two, is throttled
      Given the target limits each access token to 1 request per second with a burst of 2
      And the harness does not retry rate-limited or unavailable reads
      When the caller retrieves the "unbooked" referral 3 times
      Then the first 2 responses were HTTP 200
      And the response status is 429
      And the response says to retry after a whole number of seconds
      And the response body is empty
      And the response echoes the request's X-Correlation-ID

  Rule: the harness retries a throttled read after Retry-After, within its budget

    @req=X-HDR-RETRY-AFTER
    Scenario: a throttled read succeeds on the retry the harness makes after Retry-After
      Given the target limits each access token to 1 request per second with a burst of 1
      And the caller has already read the "unbooked" referral once
      When the caller retrieves the "unbooked" referral
      Then the response status is 200
      And the read took 2 attempts
      And the harness waited Retry-After before retrying
      And the response is a ReferralRequest resource

    @negative @req=X-HDR-RETRY-AFTER
    Scenario: a read still throttled when the retry budget would be spent is given back as the 429
      Given the harness waits at most 500 ms in total to retry a read
      And the target will answer the next A005 request with HTTP 429 and Retry-After 5
      When the caller retrieves the "unbooked" referral
      Then the read took 1 attempts
      And the response status is 429
      And the response body is empty

  Rule: no answer at all is an environment fault, not a product defect

    @negative
    Scenario: a read that gets no answer in time times out as an environment fault
      Given the harness waits at most 300 ms for an answer
      And the target will delay its answer to the next A005 request by 2000 ms
      When the caller retrieves the "unbooked" referral
      Then the request got no answer because it timed out
      And the harness reports it as an environment fault, not a product defect

    @negative
    Scenario: a dropped connection is an environment fault
      Given the target will drop the connection on the next A005 request
      When the caller retrieves the "unbooked" referral
      Then the request got no answer because the connection was dropped
      And the harness reports it as an environment fault, not a product defect

  Rule: an unasked-for server error on a read is sent again once before it is judged

    @negative
    Scenario: a server error that does not reproduce is weather: the read is sent again and judged on its answer
      Given the harness does not retry rate-limited or unavailable reads
      And the target will answer the next A005 request with HTTP 500
      When the caller retrieves the "unbooked" referral
      Then the response status is 200
      And the read took 2 attempts

    @negative
    Scenario: a server error that reproduces on the same read is a product defect, whatever the fault threshold
      Given the harness does not retry rate-limited or unavailable reads
      And the target will answer the next 2 A005 requests with HTTP 500
      When the caller retrieves the "unbooked" referral
      Then expecting HTTP 200 is judged a product defect after the read was sent once more

  Rule: set-up is not the test

    @negative
    Scenario: a preparation that fails blocks the scenario instead of failing its requirement
      Given the harness does not retry rate-limited or unavailable reads
      And the target will answer the next A005 request with HTTP 500
      Then a scenario whose preparation reads the "unbooked" referral is blocked, not failed
