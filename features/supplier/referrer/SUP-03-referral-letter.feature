@supplier @referrer @stu3 @A020 @A012
Feature: Supplier system: a referrer attaches the referral letter
  The GP system uploads the letter to the document store (A020) and links it to the referral (A012) with
  the version it read as If-Match (catalogue 7). A012 replaces the referral's whole set of letters, so a
  system that attaches a second letter sends the first one again with it. After a version conflict the
  system reads the referral again before writing again; a write e-RS rejected is not sent again.

  Background:
    Given a REFERRING_CLINICIAN is logged in to the supplier's system

  @req=SUP-REQ-01 @req=SUP-VERSION-01 @req=SUP-ORDER-01
  Scenario: the user attaches a letter: upload, then link with the version read
    When the user attaches the letter "referral-letter.txt" to the "unbooked" referral
    Then the system sent A020 then A012
    And every request the system sent conforms to its profiles and the e-RS contract
    And every write the system sent carries the version e-RS served last as If-Match
    And the "unbooked" referral holds 1 referral letter in e-RS

  @req=SUP-A012-01
  Scenario: the user attaches a second letter: A012 replaces the set, so the first letter is sent again
    When the user attaches the letter "referral-letter.txt" to the "unbooked" referral
    And the user attaches the letter "test-results.txt" to the "unbooked" referral
    Then the "unbooked" referral holds 2 referral letters in e-RS
    And every write the system sent carries the version e-RS served last as If-Match

  @req=SUP-VERSION-02
  Scenario: someone else changed the referral meanwhile: the system reads it again before writing again
    Given someone else changes the "unbooked" referral in e-RS just after the system reads it
    When the user attaches the letter "referral-letter.txt" to the "unbooked" referral
    Then the system read the referral again before writing to it again
    And every write the system sent carries the version e-RS served last as If-Match
    And the "unbooked" referral holds 1 referral letter in e-RS

  @req=SUP-BACKOFF-04 @fault-injection
  Scenario: the referral is locked by another update (423): the system does not send the write again
    Given e-RS will answer the system's next A012 with HTTP 423
    When the user attaches the letter "referral-letter.txt" to the "unbooked" referral
    Then the system did not send the rejected write again
    And the system tells the user e-RS refused, without claiming success
    And the "unbooked" referral holds 0 referral letters in e-RS
