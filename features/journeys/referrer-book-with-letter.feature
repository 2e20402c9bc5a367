@journey @stu3 @user-restricted @stateful
Feature: Referrer journey: search, create, attach the letter, book
  A referring clinician finds services for a patient (A010), creates a referral from them (A011),
  uploads the referral letter (A020) and links it (A012), books a free slot (A015, A016), checks what
  can be done next (A029) and prints the patient's confirmation (A019). Each write uses the version the
  previous answer returned (catalogue sections 7 and 8.1).

  @A010 @A011 @A020 @A012 @A015 @A016 @A029 @A019 @req=JOURNEY-REFERRER-BOOK
  Scenario: from search to a booked referral with its letter
    Given the caller is a REFERRING_CLINICIAN
    And a new referral shortlisting the "directlyBookable, indirectlyBookable" services
    When the caller uploads "referral-letter.txt" as "text/plain" for the referral
    Then the file is stored at the Binary location the response names
    When the caller links the uploaded file as the referral letter
    Then the referral holds 1 referral letter
    When the caller searches for free slots at the "directlyBookable" service
    Then the response status is 200
    When the caller books the first free slot at the "directlyBookable" service
    Then an appointment is created with status booked
    And the appointment points at the new version of the referral
    And the referral under test is now in state BOOKED
    And the referral under test is now at version 3
    When the caller retrieves the "just made" appointment
    Then the response is an Appointment with status booked
    When the caller asks which actions it may take on the referral
    Then the actions offered are "CANCEL_DIRECTLY_BOOKED_APPOINTMENT, CANCEL_REFERRAL"
    When the caller asks for the patient letter
    Then the response is a PDF a reader can open, named for the referral
