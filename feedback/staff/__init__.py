"""Staff intake: petitions received at the counter, by phone, letter, e-mail or fax,
entered by staff on the submitter's behalf (Decision 31/2021/QĐ-TTg art. 43)."""
