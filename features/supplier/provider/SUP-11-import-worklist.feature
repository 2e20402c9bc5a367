@supplier @provider @stu3 @A008
Feature: Supplier system: a PAS imports the provider's worklist
  The hospital's PAS fetches the REFERRALS_FOR_REVIEW worklist of its service (A008) - as the clinician at the
  keyboard, or as the trust's application on a schedule - and shows every referral e-RS listed. It backs off
  as Retry-After says when e-RS is busy (429) or unavailable (503), at most three attempts in all.

  @req=SUP-PROV-WORKLIST-01 @req=SUP-REQ-01 @req=SUP-ROLE-01
  Scenario: the clinician imports the worklist of their service
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system
    When the user imports the REFERRALS_FOR_REVIEW worklist for the "directlyBookable" service
    Then the system sent A008
    And every request the system sent conforms to its profiles and the e-RS contract
    And every request the system sent carries the user's role headers, and application calls none
    And the system sent nothing but the operations of the actions asked for
    And the system shows the user every referral on the e-RS worklist

  @req=SUP-PROV-WORKLIST-01 @req=SUP-ROLE-02 @req=SUP-TOKEN-01 @app-restricted
  Scenario: the scheduled import runs as the trust's application, with no user headers
    When the PAS's scheduled import fetches the REFERRALS_FOR_REVIEW worklist for the "directlyBookable" service
    Then the system sent A008
    And every request the system sent carries the user's role headers, and application calls none
    And every request the system sent carries an access token issued in this scenario
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system shows the user every referral on the e-RS worklist

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: the worklist is rate limited (429): the PAS waits for Retry-After, then imports it
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system
    And e-RS will answer the system's next A008 with HTTP 429 and Retry-After 1
    When the user imports the REFERRALS_FOR_REVIEW worklist for the "directlyBookable" service
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the system shows the user every referral on the e-RS worklist

  @req=SUP-BACKOFF-02 @fault-injection
  Scenario: e-RS stays unavailable (503): the PAS gives up after three attempts and tells the user
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system
    And e-RS will answer the system's next 3 A008 requests with HTTP 503 and Retry-After 1
    When the user imports the REFERRALS_FOR_REVIEW worklist for the "directlyBookable" service
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the system tells the user e-RS refused, without claiming success
