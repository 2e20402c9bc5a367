@supplier @provider @stu3 @A014
Feature: Supplier system: a PAS rejects a referral back to the referrer
  The PAS rejects a booked referral (A014) with the PROVIDER_REJECT reason and the comment the clinician chose,
  against the version read. e-RS cancels the appointment and returns the referral to the referrer, who sees it
  on the REJECTED_TRIAGE_RESPONSE worklist. A rejection e-RS refuses (422) is reported, not sent again.

  Background:
    Given a SERVICE_PROVIDER_CLINICIAN is logged in to the supplier's system

  @req=SUP-PROV-REJECT-01 @req=SUP-VERSION-01 @req=SUP-REQ-01
  Scenario: the clinician rejects a referral with a reason: the referrer sees it returned
    When the user rejects the "bookedDbs" referral with the "serviceInappropriate" rejection reason
    Then the system sent A005 then A014
    And the system sent A014 with the rejection reason "serviceInappropriate" and the comment the user gave
    And every request the system sent conforms to its profiles and the e-RS contract
    And every write the system sent carries the version e-RS served last as If-Match
    And the "bookedDbs" referral was returned to the referrer with the "serviceInappropriate" rejection reason and the user's comment
    And the "bookedDbs" referral is on the REJECTED_TRIAGE_RESPONSE worklist in e-RS
    And the "bookedDbs" referral is off the REFERRALS_FOR_REVIEW worklist in e-RS

  @req=SUP-PROV-REJECT-01
  Scenario: a reason that needs a comment goes with the clinician's comment
    When the user rejects the "bookedDbs" referral with the "commentMandatory" rejection reason
    Then the system sent A014 with the rejection reason "commentMandatory" and the comment the user gave
    And the "bookedDbs" referral was returned to the referrer with the "commentMandatory" rejection reason and the user's comment

  @req=SUP-ERR-422
  Scenario: e-RS refuses a reason that is not a provider's rejection reason (422): the PAS does not send it again
    When the user rejects the "bookedDbs" referral with the "notProviderReject" rejection reason
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "bookedDbs" referral is in state BOOKED in e-RS
