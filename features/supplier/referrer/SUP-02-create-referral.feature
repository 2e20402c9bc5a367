@supplier @referrer @stu3 @A011
Feature: Supplier system: a referrer creates a referral from a shortlist
  The GP system creates a referral (A011) for the patient with the services the clinician shortlisted.
  The system must send a conforming request, show the UBRN e-RS gave, back off as Retry-After says after
  429 and 503 (catalogue 10.3) with a bounded number of attempts, and never create a second referral
  when the answer to the first was lost.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01 @req=SUP-REQ-02
  Scenario: the user creates a referral and sees its UBRN
    When the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    Then the system sent A011 exactly once
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system shows the user the UBRN e-RS gave the referral
    And e-RS holds the referral the system created, in state NOT_BOOKED
    And the system sent nothing but the operations of the actions asked for

  @req=SUP-BACKOFF-03 @fault-injection
  Scenario: e-RS created the referral but its answer was lost: the system does not create it again
    Given e-RS will carry out the system's next A011 but its answer will be lost
    When the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    Then e-RS holds exactly one new referral for the "referable" patient
    And the system tells the user e-RS refused, without claiming success

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario Outline: e-RS answers <status> with Retry-After: the system waits, tries again and creates one referral
    Given e-RS will answer the system's next A011 with HTTP <status> and Retry-After 1
    When the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And e-RS holds exactly one new referral for the "referable" patient
    And the system shows the user the UBRN e-RS gave the referral

    Examples:
      | status | why                              |
      | 429    | rate limited by the API platform |
      | 503    | e-RS briefly unavailable         |

  @req=SUP-BACKOFF-02 @fault-injection
  Scenario: e-RS stays unavailable: the system gives up after a bounded number of attempts and says so
    Given e-RS will answer the system's next 5 A011 requests with HTTP 503 and Retry-After 1
    When the user refers the "referable" patient to the "directlyBookable" service with the "criteria" criteria
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the system tells the user e-RS refused, without claiming success
