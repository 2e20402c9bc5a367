@supplier @provider @stu3 @A005 @A029
Feature: Supplier system: a PAS opens a referral
  Opening a referral, the PAS reads it (A005) and asks e-RS which actions the user may take at the version it
  read (A029), and offers exactly those. A clinician admin working for a clinician sends the clinician's
  NHSD-eRS-On-Behalf-Of-User-ID with their own role on every call.

  @req=SUP-PROV-OPEN-01 @req=SUP-REQ-01 @req=SUP-ORDER-01
  Scenario: the clinician opens a booked referral and is offered e-RS's actions
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system
    When the user opens the "bookedDbs" referral
    Then the system sent A005 then A029
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system sent nothing but the operations of the actions asked for
    And the system offers the user exactly the actions e-RS makes available

  @req=SUP-PROV-OPEN-01
  Scenario: opening a referral awaiting triage: the PAS offers what e-RS allows there
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system
    When the user opens the "awaitingTriage" referral
    Then the system sent A005 then A029
    And the system offers the user exactly the actions e-RS makes available

  @req=SUP-PROV-ROLE-01 @req=SUP-ROLE-01 @req=SUP-TOKEN-01 @A013
  Scenario: a clinician admin opens and accepts a referral for a clinician: every call says for whom
    Given a SERVICE_PROVIDER_CLINICIAN_ADMIN is logged in to the supplier's system
    When the user opens the "bookedDbs" referral
    And the user accepts the "bookedDbs" referral
    Then every request the system sent carries the user's role headers, and application calls none
    And every request the system sent carries an access token issued in this scenario
    And the "bookedDbs" referral is accepted in e-RS: still BOOKED, its review complete
