@supplier @referrer @stu3 @A015 @A016
Feature: Supplier system: a referrer books the first free slot
  The GP system searches the free slots of a shortlisted service (A015) and books the first one (A016)
  against the referral version it read. When the provider's PAS does not answer (504 PAS_NOT_RESPONDING)
  or e-RS refuses the booking (422), the system tells the user and does not book again by itself.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01 @req=SUP-ORDER-01
  Scenario: the user books the first free slot
    When the user books the first free slot at the "directlyBookable" service for the "unbooked" referral
    Then the system sent A015 then A016
    And every request the system sent conforms to its profiles and the e-RS contract
    And the system sent nothing but the operations of the actions asked for
    And the "unbooked" referral is in state BOOKED in e-RS

  @req=SUP-ERR-504
  Scenario: the provider's PAS does not respond (504 PAS_NOT_RESPONDING): the user is told, nothing is booked
    When the user books the first free slot at the "pasTimeout" service for the "gastroUnbooked" referral
    Then the system sent A016 exactly once
    And the system tells the user e-RS refused, without claiming success
    And the "gastroUnbooked" referral is in state NOT_BOOKED in e-RS

  @req=SUP-ERR-422
  Scenario Outline: e-RS refuses the booking with 422: the system does not send it again
    When the user books the first free slot at the "<service>" service for the "<referral>" referral
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "<referral>" referral is in state NOT_BOOKED in e-RS

    Examples:
      | service    | referral       | why                                                            |
      | pasRefuses | gastroUnbooked | the provider's PAS refuses the slot (UNABLE_TO_CONFIRM_APPOINTMENT) |

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: the slot search is rate limited (429): the system waits for Retry-After and books
    Given e-RS will answer the system's next A015 with HTTP 429 and Retry-After 1
    When the user books the first free slot at the "directlyBookable" service for the "unbooked" referral
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the "unbooked" referral is in state BOOKED in e-RS

  @req=SUP-BACKOFF-01 @fault-injection
  Scenario: the booking meets 503 with Retry-After: the system waits, books once
    Given e-RS will answer the system's next A016 with HTTP 503 and Retry-After 1
    When the user books the first free slot at the "directlyBookable" service for the "unbooked" referral
    Then the system waited for Retry-After before trying again, at most 3 attempts in all
    And the "unbooked" referral is in state BOOKED in e-RS
