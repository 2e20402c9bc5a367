@supplier @referrer @stu3
Feature: Supplier system: audit trail and access across a referral journey
  Over a journey of several actions the GP system keeps an audit record of every e-RS call carrying that
  call's X-Correlation-ID, sends the logged-in user's role on every user call and no user headers on its
  application calls, and uses only access tokens issued for this login.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-AUDIT-01 @A011 @A020 @A012
  Scenario: every call of a create-and-attach journey is in the audit trail with its correlation id
    When the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    And the user attaches the letter "referral-letter.txt" to the "new" referral
    Then the system's audit trail holds the X-Correlation-ID of every request it sent
    And the "new" referral holds 1 referral letter in e-RS

  @req=SUP-ROLE-01 @req=SUP-ROLE-02 @req=SUP-TOKEN-01 @A010 @A011 @A015 @A016
  Scenario: search, refer and book: every call carries the right role headers and this login's token
    When the user searches for services for the "referable" patient with the "criteria" criteria
    And the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    And the user books the first free slot at the "directlyBookable" service for the "new" referral
    Then every request the system sent carries the user's role headers, and application calls none
    And every request the system sent carries an access token issued in this scenario
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system sent nothing but the operations of the actions asked for
    And the "new" referral is in state BOOKED in e-RS
