@supplier @provider @stu3 @A028
Feature: Supplier system: a PAS records a triage outcome
  For a referral awaiting triage the PAS records the clinician's outcome (A028) with their comments, against
  the version read: returned to the referrer with advice (TRIAGE_RESPONSE, on the referrer's
  REJECTED_TRIAGE_RESPONSE worklist) or accepted for the provider to book later (TRIAGED_PROVIDER_TO_ACTION).
  An outcome the API cannot record is refused (422) and not sent again.

  Background:
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system

  @req=SUP-PROV-TRIAGE-01 @req=SUP-VERSION-01 @req=SUP-REQ-01
  Scenario Outline: the clinician records <outcome>: the referral is <state>
    When the user records the triage outcome <outcome> for the "awaitingTriage" referral
    Then the system sent A005 then A028
    And the system sent A028 with the outcome <outcome> and the comments the user gave
    And every request the system sent conforms to its profiles and the e-RS contract
    And every write the system sent carries the version e-RS served last as If-Match
    And the "awaitingTriage" referral is in state <state> in e-RS
    And e-RS recorded the triage outcome <outcome> with the user's comments for the "awaitingTriage" referral
    And the "awaitingTriage" referral is <where> the <worklist> worklist in e-RS

    Examples:
      | outcome                        | state                      | where | worklist                 |
      | RETURN_TO_REFERRER_WITH_ADVICE | TRIAGE_RESPONSE            | on    | REJECTED_TRIAGE_RESPONSE |
      | ACCEPT_REFER_BOOK_LATER        | TRIAGED_PROVIDER_TO_ACTION | off   | REFERRALS_FOR_REVIEW     |

  @req=SUP-ERR-422
  Scenario: an outcome the API cannot record (422): the PAS tells the user and does not send it again
    When the user records the triage outcome CANCEL_APPOINTMENT_ACTION_LATER for the "awaitingTriage" referral
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "awaitingTriage" referral is in state AWAITING_TRIAGE in e-RS
