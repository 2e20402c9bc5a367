@supplier @referrer @stu3 @A010 @A004
Feature: Supplier system: a referrer searches for services
  The GP system searches e-RS for services a patient can be referred to (A010), as the clinician at the
  keyboard, and reads the reference data it needs (A004) as the practice's application. Each request is
  judged against its profiles and contract, the role headers of the user or their absence on application
  calls (catalogue sections 5 and 6), and the access token issued for this scenario.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01 @req=SUP-ROLE-01
  Scenario: the user searches for services and sees what e-RS found
    When the user searches for services for the "referable" patient with the "criteria" criteria
    Then the system sent A010
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system shows the user the services e-RS found

  @req=SUP-ROLE-01 @req=SUP-ROLE-02 @req=SUP-TOKEN-01
  Scenario: the user's calls carry their role; the application's calls carry no user headers
    When the user searches for services for the "referable" patient with the "criteria" criteria
    Then every request the system sent carries the user's role headers, and application calls none
    And every request the system sent carries an access token issued in this scenario
    And the system sent nothing but the operations of the actions asked for

  @req=SUP-AUDIT-01
  Scenario: every search the user makes is in the system's audit trail with its correlation id
    When the user searches for services for the "referable" patient with the "criteria" criteria
    Then the system's audit trail holds the X-Correlation-ID of every request it sent
