@supplier @referrer @stu3 @A016
Feature: Supplier system: a referrer defers booking to the provider
  When a directly bookable service has no free slots, the GP system defers the booking to the provider
  (A016 with status proposed and reason NO_SLOTS_AT_SERVICE). e-RS refuses that deferral while the service
  has free slots (422 SLOTS_CURRENTLY_AVAILABLE); the system must not send it again.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01
  Scenario: the user defers a referral whose service has no free slots
    When the user defers the "gastroUnbooked" referral to the "noSlots" service because NO_SLOTS_AT_SERVICE
    Then the system sent A016 exactly once
    And every request the system sent conforms to its profiles and the e-RS contract
    And the "gastroUnbooked" referral is in state DEFERRED_TO_PROVIDER in e-RS

  @req=SUP-ERR-422
  Scenario: e-RS refuses the deferral while slots are free (422 SLOTS_CURRENTLY_AVAILABLE)
    When the user defers the "unbooked" referral to the "directlyBookable" service because NO_SLOTS_AT_SERVICE
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "unbooked" referral is in state NOT_BOOKED in e-RS
