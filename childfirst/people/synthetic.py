"""Synthetic London people and police incidents with known truth, for tests and benchmarks.

Everything here is made up and nothing is read from real records. Names come from a
London-diverse pool written below (British, Irish, Polish, Romanian, Nigerian, Ghanaian, Somali,
Caribbean, Bangladeshi, Pakistani, Indian, Turkish and Portuguese given names and surnames,
weighted so that common names such as "Mohammed" and "Smith" collide often) topped up with
Faker's en_GB name lists. Only the borough GSS codes and their outward postcodes are real; the
inward part of every postcode, every street and every house number is invented. NHS numbers pass
the modulus 11 check but come from the 9xx range, which is not issued to patients (999 is NHS
England's test range). PNC IDs have the usual form ("2019/0012345A") with synthetic serials.

Pure Python, no database, deterministic for a seed (one `random.Random` drives everything).

Truth: every person has a stable `entity_id` ("E00000001"). Every record of them carries it:
`person_records` rows have an `entity_id` column, and each person in an `incidents` payload has
a hidden `_entity_id` key. Intake ignores unknown keys that begin with an underscore, so the
payloads can be posted as they are and accuracy measured afterwards.

Main entry points:

- `households(n_persons, *, seed, as_of=...)`: the true population, household by household.
- `person_records(n_persons, *, seed, mentions_per_person=2.0, error_rates=None, ...)`: rows
  for `childfirst identity dedupe` (truth column `entity_id`); `write_person_csv(path, ...)`.
- `incidents(n_incidents, *, seed, start=..., end=..., school_urns=None, error_rates=None)`:
  payloads in the shape of docs/intake.md.
- `london_postcode_districts()`: borough GSS code -> outward codes.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from pathlib import Path
from random import Random
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Values of childfirst.people.models.Sex (not imported: this module stays free of Django).
FEMALE, MALE, UNKNOWN = "female", "male", "unknown"

# --------------------------------------------------------------------------------------------
# Boroughs and postcodes
# --------------------------------------------------------------------------------------------

# GSS code: (name, population in thousands at the 2021 Census, outward codes). Each outward code
# is given to the one borough that holds most of it, so the mapping has no overlaps.
BOROUGHS: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "E09000002": ("Barking and Dagenham", 219, ("IG11", "RM8", "RM9", "RM10")),
    "E09000003": (
        "Barnet",
        389,
        ("N2", "N3", "N11", "N12", "N14", "N20", "NW4", "NW7", "NW9", "NW11", "EN4", "EN5"),
    ),
    "E09000004": ("Bexley", 246, ("DA5", "DA6", "DA7", "DA8", "DA14", "DA15", "DA16", "DA17")),
    "E09000005": ("Brent", 339, ("NW2", "NW6", "NW10", "HA0", "HA9")),
    "E09000006": ("Bromley", 330, ("BR1", "BR2", "BR3", "BR4", "BR5", "BR6", "BR7", "SE20")),
    "E09000007": ("Camden", 210, ("NW1", "NW3", "NW5", "WC1H", "WC1X")),
    "E09000008": ("Croydon", 391, ("CR0", "CR2", "CR5", "CR7", "CR8", "SE25")),
    "E09000009": ("Ealing", 367, ("W3", "W5", "W7", "W13", "UB1", "UB2", "UB5", "UB6")),
    "E09000010": ("Enfield", 330, ("EN1", "EN2", "EN3", "N9", "N13", "N18", "N21")),
    "E09000011": ("Greenwich", 289, ("SE2", "SE3", "SE7", "SE9", "SE10", "SE18", "SE28")),
    "E09000012": ("Hackney", 259, ("E5", "E8", "E9", "N16")),
    "E09000013": ("Hammersmith and Fulham", 183, ("W6", "W12", "W14", "SW6")),
    "E09000014": ("Haringey", 264, ("N4", "N8", "N10", "N15", "N17", "N22")),
    "E09000015": ("Harrow", 261, ("HA1", "HA2", "HA3", "HA5", "HA7", "HA8")),
    "E09000016": (
        "Havering",
        262,
        ("RM1", "RM2", "RM3", "RM5", "RM7", "RM11", "RM12", "RM13", "RM14"),
    ),
    "E09000017": ("Hillingdon", 306, ("UB3", "UB4", "UB7", "UB8", "UB10", "HA4", "HA6")),
    "E09000018": ("Hounslow", 288, ("TW3", "TW4", "TW5", "TW7", "TW8", "TW13", "TW14", "W4")),
    "E09000019": ("Islington", 217, ("N1", "N5", "N7", "N19", "EC1V")),
    "E09000020": ("Kensington and Chelsea", 143, ("W8", "W10", "W11", "SW3", "SW5", "SW10")),
    "E09000021": ("Kingston upon Thames", 168, ("KT1", "KT2", "KT3", "KT5", "KT6", "KT9")),
    "E09000022": ("Lambeth", 317, ("SE11", "SE24", "SE27", "SW2", "SW4", "SW8", "SW9", "SW16")),
    "E09000023": (
        "Lewisham",
        300,
        ("SE4", "SE6", "SE8", "SE12", "SE13", "SE14", "SE23", "SE26"),
    ),
    "E09000024": ("Merton", 215, ("SW19", "SW20", "CR4", "SM4")),
    "E09000025": ("Newham", 351, ("E6", "E7", "E12", "E13", "E15", "E16")),
    "E09000026": ("Redbridge", 310, ("IG1", "IG2", "IG3", "IG4", "IG5", "IG6", "IG8", "E18")),
    "E09000027": (
        "Richmond upon Thames",
        195,
        ("TW1", "TW2", "TW9", "TW10", "TW11", "TW12", "SW13", "SW14"),
    ),
    "E09000028": ("Southwark", 307, ("SE1", "SE5", "SE15", "SE16", "SE17", "SE21", "SE22")),
    "E09000029": ("Sutton", 209, ("SM1", "SM2", "SM3", "SM5", "SM6")),
    "E09000030": ("Tower Hamlets", 310, ("E1", "E2", "E3", "E14")),
    "E09000031": ("Waltham Forest", 278, ("E4", "E10", "E11", "E17")),
    "E09000032": ("Wandsworth", 328, ("SW11", "SW12", "SW15", "SW17", "SW18")),
    "E09000033": ("Westminster", 204, ("W2", "W9", "NW8", "SW1P", "SW1V", "W1H")),
}

# Letters used in the last two places of a real inward code (no C, I, K, M, O or V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def london_postcode_districts() -> dict[str, tuple[str, ...]]:
    """Borough GSS code (E09000002..E09000033, the 32 Met boroughs) -> its outward codes."""
    return {gss: outward for gss, (_name, _pop, outward) in BOROUGHS.items()}


def london_borough_names() -> dict[str, str]:
    """Borough GSS code -> borough name."""
    return {gss: name for gss, (name, _pop, _outward) in BOROUGHS.items()}


STREET_STEMS = _words(
    "Albion Amhurst Ashley Balfour Beech Belgrave Birch Blenheim Bridge Brook Cambridge Canal "
    "Carlton Cedar Chapel Chestnut Church Clarence Clifton Coronation Cranbrook Cromwell Dalston "
    "Devonshire Dunstan Elm Esmond Fairfield Forest Gladstone Glebe Grange Granville Green "
    "Grosvenor Hamilton Harrow Hawthorn Hazel Highfield Holly Kingsland Lansdowne Laurel Lime "
    "Linden Lordship Manor Maple Marlborough Mayfield Meadow Mill Milton Myrtle Nelson Newington "
    "Northfield Oak Orchard Osborne Palmerston Park Poplar Portland Priory Queens Railway Ravens "
    "Rectory Regent Richmond Rosebery Sandringham Shakespeare Sidney Silver Spring Stanley "
    "Station Stratford Sutherland Sycamore Tennyson Thornhill Tower Trafalgar Victoria Walnut "
    "Warwick Waterloo Wellington Westbourne Willow Windsor Woodland Wordsworth York"
)
STREET_ENDINGS = (
    ("Road", 30),
    ("Street", 18),
    ("Avenue", 8),
    ("Lane", 6),
    ("Grove", 5),
    ("Close", 6),
    ("Gardens", 5),
    ("Way", 4),
    ("Place", 3),
    ("Crescent", 3),
    ("Terrace", 3),
    ("Walk", 2),
    ("Court", 2),
    ("Rise", 1),
    ("Mews", 1),
    ("Square", 1),
    ("Drive", 3),
    ("Hill", 2),
)
ESTATE_BLOCKS = _words(
    "Attlee Bevan Brunel Cavell Darwin Faraday Fleming Keats Lister Morris Newton Orwell "
    "Pankhurst Seacole Turing Wren"
)

# --------------------------------------------------------------------------------------------
# Ethnicity: 2021 Census, 5 groups and 19 categories
# --------------------------------------------------------------------------------------------

ETHNIC_GROUPS_5 = (
    "Asian, Asian British or Asian Welsh",
    "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed or Multiple ethnic groups",
    "White",
    "Other ethnic group",
)
_ASIAN, _BLACK, _MIXED, _WHITE, _OTHER = ETHNIC_GROUPS_5
_SHORT_GROUP = {
    _ASIAN: "Asian or Asian British",
    _BLACK: "Black or Black British",
    _MIXED: "Mixed or Multiple",
    _WHITE: "White",
    _OTHER: "Other ethnic group",
}
# Key -> (5-group label, 19-category label).
ETHNICITIES_19: dict[str, tuple[str, str]] = {
    "bangladeshi": (_ASIAN, "Bangladeshi"),
    "chinese": (_ASIAN, "Chinese"),
    "indian": (_ASIAN, "Indian"),
    "pakistani": (_ASIAN, "Pakistani"),
    "other_asian": (_ASIAN, "Other Asian"),
    "african": (_BLACK, "African"),
    "caribbean": (_BLACK, "Caribbean"),
    "other_black": (_BLACK, "Other Black"),
    "white_asian": (_MIXED, "White and Asian"),
    "white_black_african": (_MIXED, "White and Black African"),
    "white_black_caribbean": (_MIXED, "White and Black Caribbean"),
    "other_mixed": (_MIXED, "Other Mixed or Multiple ethnic groups"),
    "white_british": (_WHITE, "English, Welsh, Scottish, Northern Irish or British"),
    "irish": (_WHITE, "Irish"),
    "gypsy_traveller": (_WHITE, "Gypsy or Irish Traveller"),
    "roma": (_WHITE, "Roma"),
    "other_white": (_WHITE, "Other White"),
    "arab": (_OTHER, "Arab"),
    "any_other": (_OTHER, "Any other ethnic group"),
}


def ethnicity_label(key: str) -> str:
    """The recorded form, e.g. 'Black or Black British: African' (at most 60 characters)."""
    group, category = ETHNICITIES_19[key]
    return f"{_SHORT_GROUP[group]}: {category}"


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
# Each list runs roughly from most to least common; "Name:k" multiplies a name's weight by k.


@dataclass(frozen=True)
class Origin:
    key: str
    male: str
    female: str
    surnames: str
    ethnicities: tuple[tuple[str, float], ...]
    london_share: float
    female_surnames: str = ""  # surnames only women carry (Begum, Kaur), used for some mothers


ORIGINS = (
    Origin(
        "british",
        "Oliver George Harry Jack Noah Leo Arthur Oscar Charlie Jacob Thomas Freddie Alfie Theo "
        "William:2 Henry Archie Joshua James:2 Alexander Isaac Edward Daniel:2 Samuel Joseph Max "
        "Lucas Logan Ethan Dylan Riley Mason Harrison Jayden Tyler Kai Reggie Louie Tommy Ronnie "
        "Frankie Teddy Albie Elliot Callum Connor Liam Ryan Jamie Lewis Kieran Benjamin Adam Luke "
        "Matthew Nathan Jordan Aaron Michael:2 Christopher:2 David:2 Paul:2 Mark:2 Richard "
        "Andrew Robert Stephen Anthony Lee Darren Craig Wayne Dean Gary Kevin Peter John:2 Simon "
        "Jason Scott Frederick Charles Nicholas Jonathan",
        "Olivia Amelia Isla Ava Lily Freya Ivy Florence Willow Isabella Mia Sophia Grace Evie "
        "Poppy Ella Rosie Emily Sophie Jessica Chloe Charlotte Ruby Millie Daisy Phoebe Holly "
        "Lucy Megan Hannah Lauren Amy Rebecca Leah Courtney Shannon Jade Kayleigh Stacey Gemma "
        "Kirsty Danielle Kelly Lisa:2 Sarah:2 Claire Emma:2 Laura Nicola Michelle Rachel Samantha "
        "Victoria Louise Elizabeth:2 Katie Abigail Harriet Eleanor Summer Tia Skye Lacey Jasmine "
        "Margaret Catherine Jennifer Natalie",
        "Smith:1.3 Jones:1.1 Williams:1.1 Taylor Brown Davies Evans Wilson Thomas Johnson "
        "Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris "
        "Clarke Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker "
        "Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
        "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Miller Cox "
        "Richards Marshall Simpson Ellis Adams Wilkinson Foster Chapman Webb Rogers Gray Mason "
        "Hunt Holmes Palmer Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins "
        "Dixon Fletcher Pearce Hart Payne Howard Kemp Spencer Lawrence Chambers Fox Hudson",
        (("white_british", 0.96), ("other_white", 0.03), ("gypsy_traveller", 0.01)),
        0.42,
    ),
    Origin(
        "irish",
        "Jack Conor Sean:2 Patrick:2 Cian Oisin Darragh Liam Fionn Ciaran Eoin Niall Cillian "
        "Padraig Declan Aidan Ronan Tadhg Colm Donal Eamon Brendan Kevin Dermot Shane Rory Cathal "
        "Diarmuid Fergal Killian Michael John",
        "Aoife Niamh Ciara Saoirse Siobhan Roisin Caoimhe Orla Aisling Sinead Grainne Mairead "
        "Clodagh Eimear Ailbhe Fiadh Emer Deirdre Bridget Maeve Nuala Sorcha Aine Una Fionnuala "
        "Laoise Muireann Orlaith Cliodhna Mary:2",
        "Murphy:3 Kelly:2 O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle "
        "McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn Moore McLoughlin O'Carroll "
        "Connolly Daly O'Connell Dunne Brennan Burke Collins Fitzgerald McDonagh Maguire Nolan "
        "Flynn Keane Duffy Sheridan Whelan Power Hegarty Clancy Ward Joyce",
        (("irish", 0.93), ("gypsy_traveller", 0.07)),
        0.03,
    ),
    Origin(
        "polish",
        "Jakub Kacper Szymon Filip Jan Antoni Mateusz Bartosz Michał Wojciech Piotr:2 Krzysztof "
        "Tomasz:2 Paweł Łukasz Marcin Grzegorz Adam Dawid Kamil Patryk Dominik Sebastian Rafał "
        "Marek Andrzej Karol Damian Przemysław Artur Aleksander Maciej Oskar Wiktor Igor",
        "Zuzanna Julia Maja Zofia Hanna Lena Alicja Maria Amelia Oliwia Wiktoria Natalia "
        "Aleksandra Katarzyna:2 Agnieszka:2 Małgorzata Anna:2 Magdalena Joanna Monika Ewa Karolina "
        "Marta Paulina Justyna Dorota Beata Iwona Patrycja Kinga Weronika Gabriela Emilia Barbara",
        "Nowak:3 Kowalski:2 Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski "
        "Nowakowski Pawłowski Michalski Nowicki Adamczyk Dudek Zając Wieczorek Jabłoński Król "
        "Majewski Olszewski Jaworski Wróbel Malinowski Pawlak Witkowski Walczak Stępień Górski",
        (("other_white", 1.0),),
        0.04,
    ),
    Origin(
        "romanian",
        "Andrei:2 Alexandru:2 Ionuț Mihai Ion Gheorghe Constantin Vasile Florin Marius Adrian "
        "Cristian Daniel Gabriel Ștefan Nicolae Dumitru Bogdan Cosmin Răzvan Sorin Ciprian Lucian "
        "Vlad Darius David Luca Matei Tudor Radu Emanuel Iulian Valentin Sebastian Denis Eduard",
        "Maria:3 Elena:2 Ioana Andreea Ana Mihaela Alexandra Gabriela Cristina Daniela Florentina "
        "Georgiana Nicoleta Ramona Roxana Simona Adriana Alina Raluca Bianca Denisa Larisa Diana "
        "Irina Sofia Daria Antonia Alesia Ilinca Iulia Camelia Loredana Mirela Carmen",
        "Popa:3 Popescu:2 Pop Radu Ionescu Dumitru Stan Stoica Gheorghe Matei Rusu Munteanu "
        "Constantin Mihai Ciobanu Dinu Ene Marin Tudor Florea Moldovan Lungu Sandu Barbu Nistor "
        "Toma Dobre Cristea Ungureanu Vasile Zamfir Lazăr Petrescu Dragomir Mocanu Neagu Oprea",
        (("other_white", 0.88), ("roma", 0.12)),
        0.04,
    ),
    Origin(
        "nigerian",
        "Oluwaseun Oluwadamilare Ayodele Adebayo Babatunde Olumide Temitope Tobi Tunde Femi Segun "
        "Kayode Damilola Ifeanyi Chukwuemeka Chinedu Obinna Emeka Nnamdi Uchenna Chidi Kelechi "
        "Ikenna Chibuzor Somtochukwu Daniel:3 David:3 Samuel:2 Emmanuel:3 Joshua:2 Michael:2 "
        "Victor Ayomide Oluwatobi Tolu Jide Dayo",
        "Adaeze Chiamaka Ngozi Chioma Nneka Ifeoma Amara Chinwe Ebere Oluwakemi Funmilayo Folasade "
        "Adunni Abimbola Yetunde Titilayo Bukola Omolara Damilola Ayomide Precious:2 Blessing:3 "
        "Favour:2 Mercy Esther Deborah Grace:2 Joy Peace Ruth Tomi Tolani Morenike Ireoluwa",
        "Okafor:2 Okonkwo Eze:2 Nwosu Obi Chukwu Nwachukwu Okeke Onyekachi Ibe Nnadi Uche "
        "Adeyemi:2 Adebayo:2 Ogunleye Oyelaran Balogun Adeleke Ogunbiyi Olawale Afolabi Akinola "
        "Oladipo Bakare Olaniyan Oyewole Adewale Adeola Ogundipe Akande Ojo Ayodele Fashola "
        "Oyinlola Adekunle Okoro Ogbonna Anyanwu Uzor Ekwueme",
        (("african", 0.97), ("other_black", 0.03)),
        0.06,
    ),
    Origin(
        "ghanaian",
        "Kwame:2 Kofi:2 Kwabena Kwaku Yaw Kwasi Kojo Kweku Nana Kwadwo Emmanuel:2 Michael Samuel "
        "Isaac Prince Richard Ebenezer Daniel Joseph Nii Fiifi Ekow Bright Godfred Jojo",
        "Akosua Ama:2 Abena:2 Adwoa Afua Yaa Efua Esi Akua Adjoa Araba Nana Gifty Comfort Abigail "
        "Mavis Priscilla Joyce Patience Gloria Vida Mercy Belinda Naa Dede",
        "Mensah:3 Owusu:2 Boateng:2 Asante Osei Agyeman Appiah Acheampong Amoah Darko Frimpong "
        "Ofori Antwi Kwarteng Asamoah Badu Danquah Opoku Adjei Amankwah Gyamfi Quaye Tetteh Addo "
        "Ansah Sarpong Nkrumah Bonsu",
        (("african", 0.97), ("other_black", 0.03)),
        0.025,
    ),
    Origin(
        "somali",
        "Mohamed:8 Abdi:3 Ahmed:3 Ali:3 Hassan:2 Abdirahman Abdullahi Omar Yusuf Ibrahim Abdirizak "
        "Mahad Liban Hamza Khalid Farah Mustafa Ismail Abdikadir Said Jama Osman Nur Bashir Guled "
        "Idris Ayanle Zakariye Sharmarke Sakariye",
        "Fadumo:2 Hodan Amina:2 Sahra Hibo Ikran Ayan Faiza Hawa Asha Halima Nimco Ladan Sagal "
        "Ubah Khadija Idil Muna Sumaya Hamdi Deeqa Maryan Zamzam Yasmin Filsan Ifrah Naima Najma "
        "Hinda",
        "Mohamed:4 Ahmed:3 Ali:3 Hassan:2 Abdi:2 Omar Farah Warsame Hussein Jama Osman Yusuf "
        "Ibrahim Nur Aden Abdullahi Egal Dirie Mohamud Elmi Isse Samatar Hersi Duale Guled "
        "Abdillahi Warfa Gedi Shire Mire",
        (("african", 0.9), ("other_black", 0.1)),
        0.02,
    ),
    Origin(
        "caribbean",
        "Jermaine Marlon Andre Delroy Winston Leroy Devon Tyrone Dwayne Kemar Shaquille Tyrese "
        "Jahmal Kareem Rashid Omari Leon Marcus Nathaniel Jordan Jaden Kai Tyreke Jamal Trevor "
        "Clive Courtney Desmond Errol Lloyd Neville Everton Michael Anthony",
        "Shanice Tanisha Keisha Monique Jada Kiara Tiana Aaliyah Janelle Shantelle Rochelle "
        "Simone Marcia Sharon Beverley Yvonne Paulette Jasmine Chantelle Nia Imani Shenice Latoya "
        "Precious Nadine Shereen Tamara Kimberley Michelle Donna",
        "Campbell:2 Brown:3 Williams:3 Johnson:2 Smith:2 Thomas Francis Grant Reid Clarke Lewis "
        "Walker Bailey Edwards Henry Gordon Robinson Morgan Jackson Richards Samuels Daley Powell "
        "Forbes McKenzie Wright Graham Barrett Bryan Blake Gayle Hylton Spence Stewart Beckford "
        "Ferguson Hinds Wilson Douglas Facey",
        (("caribbean", 0.93), ("other_black", 0.07)),
        0.05,
    ),
    Origin(
        "bangladeshi",
        "Mohammed:10 Abdul:4 Mohammad:3 Rahim Shahid Jamal Kamal Faruk Habib Rubel Sohel Shafiq "
        "Aminul Nazrul Jahangir Ashraf Imran Rayan Ayaan Zayan Ibrahim Yusuf Hamza Adam Zakaria "
        "Arif Tariq Rafiq Shamim Anwar Mizanur Saiful Mahfuz",
        "Fatema:2 Fatima:2 Nusrat Sumaiya Tasnim Shamima Rokeya Rahima Jahanara Nasima Ayesha "
        "Maryam Inaya Hafsa Zara Sadia Farzana Taslima Shirin Ruksana Sultana Halima Nadia Raisa "
        "Tahmina Sabrina Sharmin Lima Shanaz Husna",
        "Ahmed:4 Rahman:4 Miah:3 Ali:3 Uddin:3 Hussain:2 Islam:2 Khan:2 Hoque Chowdhury Hossain "
        "Alam Akhtar Karim Haque Sarkar Talukder Sheikh Molla Bhuiyan Kabir Siddique Ullah Mahmud "
        "Amin Howlader",
        (("bangladeshi", 1.0),),
        0.045,
        "Begum:3 Khatun Bibi",
    ),
    Origin(
        "pakistani",
        "Muhammad:8 Mohammed:4 Ali:2 Ahmed:2 Hamza Bilal Usman Umar Hassan Hussain Imran Zain "
        "Ayaan Ibrahim Yusuf Zakariya Adnan Faisal Asif Kashif Shahzad Tariq Waqas Naveed Irfan "
        "Javed Zubair Sajid Khalid Haris Rizwan Abdullah Saad Amir Junaid",
        "Ayesha:2 Fatima:2 Zainab Maryam Aisha Hira Sana Amna Iqra Mahnoor Noor Zara Aleena Eman "
        "Hania Khadija Sadia Saima Nazia Shazia Rubina Samina Nasreen Farah Mehwish Bushra "
        "Shabana Rukhsana Anum Sidra Tahira",
        "Khan:6 Hussain:3 Ahmed:2 Ali:2 Iqbal Akhtar Shah Mahmood Butt Malik Qureshi Raza Aslam "
        "Rashid Mirza Chaudhry Sheikh Siddiqui Javed Riaz Younis Anwar Bashir Nawaz Arshad Tariq "
        "Hameed Rehman Hanif Latif Saleem Zaman Abbasi",
        (("pakistani", 1.0),),
        0.04,
        "Bibi:2 Begum Akhtar",
    ),
    Origin(
        "indian",
        "Arjun Aarav Rohan Vihaan Krishna Aryan Dev Ravi Raj Rajesh Sanjay Amit Anil Sunil Vijay "
        "Ashok Deepak Manoj Rahul Vikram Nikhil Suresh Ramesh Harpreet Gurpreet Jaspreet Manpreet "
        "Harjit Sukhdev Kuldeep Jaswinder Ranjit Mohinder Hardeep Arun Prakash Ajay Nitin Pranav "
        "Ishaan Kabir Veer Sai",
        "Priya Anjali Pooja Neha Riya Ananya Diya Kavya Meera Sita Lakshmi Sunita Anita Rekha "
        "Geeta Asha Kiran Simran Harpreet Jaspreet Manpreet Gurpreet Navneet Parminder Amrit "
        "Rupinder Jasleen Divya Shreya Isha Tara Nisha Deepa Rani Seema",
        "Patel:8 Singh:5 Shah:2 Sharma:2 Kumar:2 Gupta Mistry Desai Mehta Joshi Parmar Chauhan "
        "Gill Sandhu Sidhu Dhillon Bains Grewal Virdi Rai Reddy Nair Pillai Iyer Menon Chopra "
        "Kapoor Malhotra Verma Bhatt Solanki Thakkar Modi Jadeja Lad Vaghela Rana Dhaliwal Sohal",
        (("indian", 0.95), ("other_asian", 0.05)),
        0.06,
        "Kaur:3",
    ),
    Origin(
        "turkish",
        "Mehmet:3 Mustafa:2 Ahmet:2 Ali Hüseyin Hasan İbrahim Murat Emre Yusuf Ömer Burak Can "
        "Deniz Eren Kerem Emir Arda Kaan Efe Barış Serkan Volkan Cem Tolga Erdem Oğuz Selim Halil "
        "Osman Kemal İsmail Mert Berkay",
        "Ayşe:2 Fatma:2 Emine Hatice Zeynep Elif Meryem Şerife Sultan Hanife Merve Büşra Esra "
        "Ebru Özlem Gül Derya Selin Ecem Defne Eylül Ela Asya Nehir Zehra Yasemin Melek Dilek "
        "Sevgi Hülya Leyla Gizem İrem",
        "Yılmaz:3 Kaya:2 Demir:2 Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan "
        "Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Erdoğan Korkmaz Çakır Tekin Aksoy "
        "Aktaş Güneş Bulut Keskin Uysal Ceylan Bozkurt Karaca Taş",
        (("other_white", 0.6), ("any_other", 0.3), ("arab", 0.1)),
        0.025,
    ),
    Origin(
        "portuguese",
        "João:2 Pedro Tiago Diogo Miguel Rodrigo Gonçalo Rafael Duarte Francisco Martim Santiago "
        "Afonso Tomás Gabriel Lucas Guilherme Bernardo Henrique Manuel José:2 António Carlos "
        "Paulo Ricardo Rui Nuno Luís Jorge Fernando Sérgio Bruno Hugo Vasco Filipe",
        "Maria:3 Ana:2 Beatriz Mariana Leonor Matilde Inês Carolina Francisca Sofia Lara Alice "
        "Margarida Joana Rita Catarina Sara Marta Cláudia Patrícia Andreia Sandra Susana Teresa "
        "Fernanda Isabel Helena Luísa Daniela Vanessa Bárbara Filipa Raquel",
        "Silva:4 Santos:3 Ferreira:2 Pereira:2 Oliveira Costa Rodrigues Martins Jesus Sousa "
        "Fernandes Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira "
        "Moreira Correia Mendes Nunes Soares Vieira Monteiro Cardoso Rocha Neves Coelho Cruz "
        "Cunha Pires Ramos Reis Simões Antunes Matos",
        (("other_white", 0.9), ("other_mixed", 0.1)),
        0.025,
    ),
)
ORIGIN_BY_KEY = {origin.key: origin for origin in ORIGINS}

# How much more common an origin is in a borough than across London.
BOROUGH_ORIGIN_BOOST: dict[str, dict[str, float]] = {
    "E09000002": {"romanian": 3, "nigerian": 2.5, "ghanaian": 2, "british": 1.1},
    "E09000003": {"irish": 1.5, "romanian": 1.5, "indian": 1.3},
    "E09000004": {"british": 1.5, "nigerian": 1.5},
    "E09000005": {"indian": 2.5, "somali": 2.5, "caribbean": 1.8, "irish": 2, "romanian": 2.5},
    "E09000006": {"british": 1.6},
    "E09000007": {"bangladeshi": 1.5, "somali": 1.5, "irish": 1.5},
    "E09000008": {"caribbean": 2, "ghanaian": 2, "indian": 1.3, "british": 1.1},
    "E09000009": {"polish": 3.5, "indian": 2, "somali": 2, "pakistani": 1.5},
    "E09000010": {"turkish": 5, "ghanaian": 1.5, "polish": 1.5},
    "E09000011": {"nigerian": 2.5, "british": 1.1},
    "E09000012": {"turkish": 4, "caribbean": 2, "nigerian": 1.5, "ghanaian": 1.5},
    "E09000013": {"irish": 2, "polish": 1.5, "somali": 1.5},
    "E09000014": {"turkish": 4, "caribbean": 2, "polish": 2, "romanian": 2},
    "E09000015": {"indian": 4, "romanian": 2.5, "pakistani": 1.5},
    "E09000016": {"british": 1.8},
    "E09000017": {"indian": 2.5, "pakistani": 1.5, "polish": 1.5},
    "E09000018": {"indian": 2.5, "pakistani": 2, "polish": 2, "somali": 1.5},
    "E09000019": {"irish": 2, "turkish": 2, "bangladeshi": 1.2},
    "E09000020": {"portuguese": 2, "irish": 1.2},
    "E09000021": {"british": 1.4, "indian": 1.2},
    "E09000022": {"portuguese": 5, "caribbean": 2.5, "nigerian": 1.5, "ghanaian": 1.5},
    "E09000023": {"caribbean": 2.8, "nigerian": 2, "ghanaian": 1.5},
    "E09000024": {"polish": 1.5, "ghanaian": 1.5, "pakistani": 1.5},
    "E09000025": {"bangladeshi": 4, "pakistani": 3, "indian": 2.5, "romanian": 2.5, "nigerian": 2},
    "E09000026": {"pakistani": 3.5, "indian": 3, "bangladeshi": 2, "romanian": 1.5},
    "E09000027": {"british": 1.7},
    "E09000028": {"nigerian": 3, "ghanaian": 2.5, "portuguese": 2.5, "caribbean": 1.8},
    "E09000029": {"british": 1.6},
    "E09000030": {"bangladeshi": 9, "somali": 2},
    "E09000031": {"pakistani": 2.5, "polish": 2, "romanian": 2.5, "caribbean": 1.5},
    "E09000032": {"british": 1.2, "portuguese": 1.5, "pakistani": 1.2},
    "E09000033": {"somali": 1.5, "portuguese": 1.5},
}


class _Pool:
    """A weighted list of strings; `pick` costs one random number and one bisect."""

    __slots__ = ("names", "cum", "total")

    def __init__(self, weighted: Iterable[tuple[str, float]]):
        items = list(weighted)
        self.names = [name for name, _w in items]
        self.cum = list(accumulate(w for _n, w in items))
        self.total = self.cum[-1]

    def pick(self, rng: Random) -> str:
        return self.names[bisect(self.cum, rng.random() * self.total)]


def _zipf(spec: str, exponent: float = 0.85) -> list[tuple[str, float]]:
    """'Smith:4 Jones Brown' -> names with weights falling by rank, boosted by any ':k'."""
    weighted = []
    for rank, token in enumerate(spec.split()):
        name, _, boost = token.partition(":")
        weighted.append((name, (float(boost) if boost else 1.0) / (rank + 2) ** exponent))
    return weighted


def _with_faker(weighted: list[tuple[str, float]], extra: Iterable[tuple[str, float]]):
    """Append Faker's en_GB names (not already listed) with weights below the listed tail."""
    known = {name for name, _w in weighted}
    tail = min(w for _n, w in weighted)
    extra = [(n, w) for n, w in extra if n not in known]
    top = max((w for _n, w in extra), default=1.0)
    return weighted + [(n, 0.6 * tail * w / top) for n, w in extra]


def _faker_names():
    try:
        from faker.providers.person.en_GB import Provider
    except ImportError:  # Faker is a dev dependency; the written pool is enough without it.
        return [], [], []

    def ranked(names):
        return [(name, 1.0 / (rank + 20)) for rank, name in enumerate(names)]

    surnames = Provider.last_names
    weighted_surnames = list(surnames.items()) if hasattr(surnames, "items") else ranked(surnames)
    return ranked(Provider.first_names_male), ranked(Provider.first_names_female), weighted_surnames


def _build_pools():
    faker_male, faker_female, faker_surnames = _faker_names()
    pools = {}
    for origin in ORIGINS:
        male, female = _zipf(origin.male), _zipf(origin.female)
        surnames = _zipf(origin.surnames, exponent=0.7)
        if origin.key == "british":
            male = _with_faker(male, faker_male)
            female = _with_faker(female, faker_female)
            surnames = _with_faker(surnames, faker_surnames)
        pools[origin.key] = {
            MALE: _Pool(male),
            FEMALE: _Pool(female),
            "surname": _Pool(surnames),
            "female_surname": _Pool(_zipf(origin.female_surnames))
            if origin.female_surnames
            else None,
            "ethnicity": _Pool(origin.ethnicities),
        }
    return pools


NAME_POOLS = _build_pools()


def name_pool_sizes() -> dict[str, int]:
    """How many distinct given names and surnames the pools hold (for reports and tests)."""
    given, surnames = set(), set()
    for pools in NAME_POOLS.values():
        given.update(pools[MALE].names, pools[FEMALE].names)
        surnames.update(pools["surname"].names)
    return {"given_names": len(given), "surnames": len(surnames)}


# Short forms and nicknames, formal name -> what a record may say instead.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Elizabeth": ("Liz", "Beth", "Lizzie", "Betty"),
    "Alexander": ("Alex", "Sasha", "Xander"),
    "Aleksander": ("Olek", "Alek", "Alex"),
    "Aleksandra": ("Ola", "Ala"),
    "Alexandra": ("Alex", "Sasha", "Lexi"),
    "Alexandru": ("Alex",),
    "Mohammed": ("Mo", "Md"),
    "Mohamed": ("Mo",),
    "Muhammad": ("Mo", "Md"),
    "Mohammad": ("Mo", "Md"),
    "Robert": ("Rob", "Bob", "Bobby", "Robbie"),
    "Richard": ("Rich", "Rick", "Richie"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick", "Mikey"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Joseph": ("Joe", "Joey"),
    "Thomas": ("Tom", "Tommy"),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benji"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony", "Ant"),
    "Jonathan": ("Jon", "Jonny"),
    "Nathaniel": ("Nate", "Nat"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Frederick": ("Fred", "Freddie"),
    "Henry": ("Harry", "Hal"),
    "Charles": ("Charlie",),
    "Nicholas": ("Nick", "Nicky"),
    "Stephen": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Peter": ("Pete",),
    "David": ("Dave", "Davey"),
    "Jacob": ("Jake",),
    "Joshua": ("Josh",),
    "Oliver": ("Ollie", "Olly"),
    "Isaac": ("Zac",),
    "Emmanuel": ("Emma", "Manny"),
    "Zakaria": ("Zak",),
    "Zakariya": ("Zak",),
    "Ibrahim": ("Ibby",),
    "Abdullahi": ("Abdi",),
    "Abdirahman": ("Abdi",),
    "Oluwaseun": ("Seun", "Seyi"),
    "Oluwatobi": ("Tobi",),
    "Oluwadamilare": ("Dami", "Lare"),
    "Damilola": ("Dami", "Lola"),
    "Babatunde": ("Tunde",),
    "Olumide": ("Mide",),
    "Temitope": ("Tope", "Temi"),
    "Ayodele": ("Dele", "Ayo"),
    "Adebayo": ("Bayo",),
    "Ayomide": ("Ayo", "Mide"),
    "Oluwakemi": ("Kemi",),
    "Funmilayo": ("Funmi",),
    "Folasade": ("Sade", "Fola"),
    "Abimbola": ("Bimbo", "Bimpe"),
    "Titilayo": ("Titi",),
    "Omolara": ("Lara",),
    "Chukwuemeka": ("Emeka",),
    "Chinedu": ("Nedu",),
    "Ifeanyi": ("Ife",),
    "Chiamaka": ("Amaka",),
    "Jermaine": ("Jay",),
    "Tyrone": ("Ty",),
    "Tyrese": ("Ty",),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Catherine": ("Kate", "Cathy", "Katie"),
    "Rebecca": ("Becky", "Becca"),
    "Victoria": ("Vicky", "Tori"),
    "Jessica": ("Jess",),
    "Samantha": ("Sam",),
    "Charlotte": ("Charlie", "Lottie"),
    "Abigail": ("Abi", "Abby"),
    "Eleanor": ("Ellie", "Nell"),
    "Isabella": ("Bella", "Izzy"),
    "Jennifer": ("Jen", "Jenny"),
    "Nicola": ("Nicky",),
    "Danielle": ("Dani",),
    "Amelia": ("Millie", "Amy"),
    "Olivia": ("Liv", "Livvy"),
    "Florence": ("Flo", "Florrie"),
    "Natalie": ("Nat", "Tasha"),
    "Natalia": ("Natasha", "Tasha"),
    "Katarzyna": ("Kasia", "Kate"),
    "Małgorzata": ("Gosia", "Margaret"),
    "Agnieszka": ("Aga",),
    "Magdalena": ("Magda",),
    "Wojciech": ("Wojtek",),
    "Krzysztof": ("Krzys", "Chris"),
    "Przemysław": ("Przemek",),
    "Bartosz": ("Bartek",),
    "Tomasz": ("Tomek", "Tom"),
    "Jakub": ("Kuba", "Jake"),
    "Łukasz": ("Luke",),
    "Piotr": ("Peter",),
    "Gheorghe": ("George",),
    "Constantin": ("Costi",),
    "Kwabena": ("Kobby",),
    "Patrick": ("Paddy", "Pat"),
    "Padraig": ("Paddy",),
    "Bridget": ("Bridie",),
    "Mehmet": ("Memo",),
    "Francisco": ("Chico",),
    "José": ("Zé",),
    "Jasmine": ("Jas",),
    "Jaswinder": ("Jas",),
    "Jaspreet": ("Jas",),
}

# Spellings of one name in different transliterations; names with letters outside ASCII also
# get their plain-letter spelling ("Łukasz" -> "Lukasz") automatically.
TRANSLITERATIONS = (
    "Mohammed Muhammad Mohamed Mohammad Muhammed Mohamad Mohammod",
    "Ahmed Ahmad Ahmet",
    "Hussain Hussein Husain Hossain Hüseyin",
    "Hassan Hasan",
    "Aleksandr Alexander Aleksander Alexandr Oleksandr",
    "Aleksandra Alexandra",
    "Katarzyna Katarina Katharina Katrina",
    "Yusuf Yousuf Yusef Yousef",
    "Ibrahim Ebrahim Ibraheem İbrahim",
    "Fatima Fatema Fatimah Fatuma",
    "Aisha Ayesha Aysha",
    "Abdullahi Abdullah Abdulla Abdillahi",
    "Omar Umar Omer Ömer",
    "Osman Usman Uthman",
    "Zainab Zaynab Zeynep",
    "Maryam Mariam Meryem Maryan",
    "Khadija Khadijah",
    "Hamza Hamzah",
    "Yasmin Yasmine Jasmin",
    "Abdirahman Abdurahman Abdulrahman",
    "Mohamud Mahmood Mahmud Mahmoud",
    "Chaudhry Choudhury Chowdhury",
    "Rahman Rehman",
    "Hoque Haque Huq",
    "Uddin Udin",
    "Siddique Siddiqui",
    "Nur Noor",
    "Khalid Khaled",
    "Ismail Ismael İsmail",
    "Iqbal Ikbal",
    "Mustafa Mostafa Mustapha",
    "Zakaria Zakariya Zakariye Sakariye",
    "Gheorghe George",
    "Ioana Joanna",
    "Ion Ioan",
    "Oluwaseun Oluseun",
    "Olawale Oluwale",
    "Kwame Kuame",
    "Kofi Koffi",
    "Kwasi Kwesi",
    "Kojo Kodjo",
    "Siobhan Shivaun Chevonne",
    "Niamh Neve",
    "Sean Shaun Shawn",
    "Conor Connor",
    "Ciaran Kieran",
    "Aidan Aiden Ayden",
    "Eoin Owen",
    "Saoirse Seersha",
    "Catherine Katherine Kathryn",
    "Stephen Steven",
    "Philip Phillip Filip",
    "Jakub Jacob Yakub",
    "Piotr Pyotr",
    "Andrei Andrey",
    "Elena Helena Yelena",
    "Natalia Natalya",
    "Gurpreet Gurprit",
    "Harpreet Harprit",
    "Jaswinder Jasvinder",
    "Mohinder Mohindar Mahinder",
    "Lakshmi Laxmi",
    "Mehmet Mehmed",
    "Fadumo Faduma Fatuma",
    "Hodan Hoodan",
    "Chukwu Chuku",
    "Nnamdi Namdi",
)


def _plain(name: str) -> str:
    """'Łukasz' -> 'Lukasz', 'Yılmaz' -> 'Yilmaz', 'Ștefan' -> 'Stefan'."""
    name = name.translate(str.maketrans("łŁıİøØđĐ", "lLiIoOdD"))
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _build_variants() -> dict[str, tuple[str, ...]]:
    groups = [set(line.split()) for line in TRANSLITERATIONS]
    every_name = set()
    for pools in NAME_POOLS.values():
        for key in (MALE, FEMALE, "surname", "female_surname"):
            if pools[key] is not None:
                every_name.update(pools[key].names)
    for name in every_name:
        if _plain(name) != name:
            groups.append({name, _plain(name)})
    variants: dict[str, set[str]] = {}
    for group in groups:
        for name in group:
            variants.setdefault(name, set()).update(group - {name})
    return {name: tuple(sorted(others)) for name, others in variants.items() if others}


VARIANTS = _build_variants()

# --------------------------------------------------------------------------------------------
# Recording errors
# --------------------------------------------------------------------------------------------

# Probability that one record of a person shows each error. Rates marked * apply only where the
# error is possible (a nickname exists, the surname has two parts, the person has an NHS number,
# day and month are both 12 or under and differ); they are rates among those records.
DEFAULT_ERROR_RATES: dict[str, float] = {
    "typo": 0.04,  # one edit (substitution, deletion, insertion, transposition) in a name
    "nickname": 0.15,  # * short form: William -> Bill
    "transliteration": 0.25,  # * another spelling: Mohammed -> Muhammad, Łukasz -> Lukasz
    "name_swap": 0.01,  # given name and surname swapped
    "surname_part": 0.3,  # * only one part of a double-barrelled or hyphenated surname
    "dob_day_month_swap": 0.02,  # * 2016-09-03 -> 2016-03-09
    "dob_digit": 0.02,  # one digit wrong (still a real date)
    "dob_year_only": 0.01,  # "2016"
    "dob_missing": 0.03,  # blank (children in payloads then often carry appears_under_18)
    "dob_age": 0.03,  # payloads only: a recorded age in years instead of a date of birth
    "sex_unknown": 0.03,
    "ethnicity_missing": 0.15,  # payloads only
    "address_missing": 0.03,
    "moved": 0.08,  # share of households that moved to a new address during the period
    "moved_other_borough": 0.4,  # share of those moves that went to another borough
    "nhs_missing": 0.4,  # * a record that leaves out the person's NHS number
    "pnc_missing": 0.3,  # * a record that leaves out the person's PNC ID
}

_DOB_ERRORS = ("dob_day_month_swap", "dob_digit", "dob_year_only", "dob_missing", "dob_age")


def _rates(error_rates: dict[str, float] | None) -> dict[str, float]:
    rates = dict(DEFAULT_ERROR_RATES)
    if error_rates:
        unknown = set(error_rates) - set(rates)
        if unknown:
            raise ValueError(f"Unknown error rates: {', '.join(sorted(unknown))}")
        rates.update(error_rates)
    if sum(rates[key] for key in _DOB_ERRORS) > 1:
        raise ValueError("The date of birth error rates add up to more than 1")
    return rates


_KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def typo(word: str, rng: Random) -> str:
    """One edit: a neighbouring key, a dropped or doubled letter, or two letters swapped."""
    if len(word) < 2:
        return word + word[-1:]
    kind = rng.random()
    i = int(rng.random() * len(word))
    if kind < 0.35:
        ch = word[i]
        near = _KEYBOARD.get(ch.lower())
        if not near:
            return word[:i] + word[i + 1 :]
        new = near[int(rng.random() * len(near))]
        return word[:i] + (new.upper() if ch.isupper() else new) + word[i + 1 :]
    if kind < 0.6 and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if kind < 0.8:
        return word[: i + 1] + word[i] + word[i + 1 :]
    i = min(i, len(word) - 2)
    if word[i] == word[i + 1]:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _dob_digit(dob: date, rng: Random) -> date:
    text = dob.isoformat()
    for _ in range(10):
        i = (2, 3, 6, 8, 9)[int(rng.random() * 5)] if rng.random() < 0.9 else 5
        digit = str(int(rng.random() * 10))
        if digit == text[i]:
            continue
        try:
            return date.fromisoformat(text[:i] + digit + text[i + 1 :])
        except ValueError:
            continue
    return dob + timedelta(days=1)


# --------------------------------------------------------------------------------------------
# The true population
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    entity_id: str
    household_id: str
    role: str  # "parent", "carer", "grandparent", "child" or "former_partner"
    given_name: str
    surname: str
    date_of_birth: date
    sex: str
    ethnicity: str  # 19-category label, e.g. "Asian or Asian British: Bangladeshi"
    ethnic_group: str  # 5-group label, e.g. "Asian, Asian British or Asian Welsh"
    nhs_number: str = ""
    pnc_id: str = ""
    twin_of: str = ""  # entity_id of a twin
    junior_of: str = ""  # entity_id of the parent whose exact given name this child shares

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


@dataclass(slots=True)
class Address:
    address: str
    postcode: str
    borough: str  # GSS code


@dataclass(slots=True)
class Household:
    household_id: str
    home: Address
    adults: list[Person]
    children: list[Person]
    moved_to: Address | None = None
    moved_on: date | None = None
    former_partner: Person | None = None  # a parent of the children who lives elsewhere
    former_partner_home: Address | None = None

    @property
    def people(self) -> list[Person]:
        return self.adults + self.children

    def address_on(self, day: date) -> Address:
        if self.moved_to is not None and self.moved_on is not None and day >= self.moved_on:
            return self.moved_to
        return self.home


_NHS_STRIDE = 7_654_321  # coprime with 10**6, so (start + i * stride) % 10**6 visits every body
_PNC_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"


class _Numbers:
    """Unique synthetic NHS numbers, PNC IDs and entity and household ids for one run."""

    def __init__(self, rng: Random):
        self._nhs_i = 0
        self._nhs_start = int(rng.random() * 10**6)
        self._pnc_serial = 10_000 + int(rng.random() * 500_000)
        self.entities = 0
        self.households = 0

    def nhs_number(self) -> str:
        while True:
            i = self._nhs_i
            self._nhs_i += 1
            # 999 xxx xxxx first (NHS England's test range), then 998, 997 ... (unissued).
            body = f"{999 - i // 10**6}{(self._nhs_start + i * _NHS_STRIDE) % 10**6:06d}"
            total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
            check = (11 - total % 11) % 11
            if check != 10:
                return body + str(check)

    def pnc_id(self, year: int) -> str:
        self._pnc_serial += 1 + (self._pnc_serial % 7)
        serial = self._pnc_serial % 10**7
        letter = _PNC_LETTERS[((year % 100) * 10**7 + serial) % 23]
        return f"{year}/{serial:07d}{letter}"

    def entity_id(self) -> str:
        self.entities += 1
        return f"E{self.entities:08d}"

    def household_id(self) -> str:
        self.households += 1
        return f"H{self.households:07d}"


class _Addresses:
    """Postcodes and streets: several households share a postcode unit, as neighbours do."""

    def __init__(
        self,
        rng: Random,
        known: dict[str, list[str]] | None = None,
        boroughs: Sequence[str] | None = None,
    ):
        self.rng = rng
        # outward -> inward codes of postcodes the directory knows: new homes are put in them
        # (in the districts that have them), so the demo's incidents resolve to a ward and
        # borough.
        self.known = known or {}
        self.units: dict[str, list[tuple[str, str]]] = {}  # outward -> [(inward, street)]
        self.used_inward: dict[str, set[str]] = {}
        self.endings = _Pool(STREET_ENDINGS)
        gss = list(boroughs or BOROUGHS)
        self.borough_pool = _Pool((code, BOROUGHS[code][1]) for code in gss)

    def new(self, borough: str | None = None) -> Address:
        rng = self.rng
        borough = borough or self.borough_pool.pick(rng)
        # Districts the directory knows postcodes in, when it knows any in this borough.
        outwards = [o for o in BOROUGHS[borough][2] if o in self.known] or BOROUGHS[borough][2]
        outward = outwards[int(rng.random() * len(outwards))]
        units = self.units.setdefault(outward, [])
        if units and rng.random() < 0.35:
            inward, street = units[int(rng.random() * len(units))]
        else:
            used = self.used_inward.setdefault(outward, set())
            known = self.known.get(outward, ())
            unused = [code for code in known if code not in used]
            if unused:
                inward = unused[int(rng.random() * len(unused))]
            elif known:  # every known unit taken: a new street in one of them, as happens
                inward = known[int(rng.random() * len(known))]
            else:
                inward = self._inward(used)
            used.add(inward)
            stem = STREET_STEMS[int(rng.random() * len(STREET_STEMS))]
            street = f"{stem} {self.endings.pick(rng)}"
            units.append((inward, street))
        number = 1 + int(rng.random() * rng.choice((40, 120, 260)))
        roll = rng.random()
        if roll < 0.22:
            line = f"Flat {1 + int(rng.random() * 6)}, {number} {street}"
        elif roll < 0.32:
            block = ESTATE_BLOCKS[int(rng.random() * len(ESTATE_BLOCKS))]
            line = f"Flat {1 + int(rng.random() * 60)}, {block} House, {street}"
        else:
            line = f"{number} {street}"
        return Address(f"{line}, London", f"{outward} {inward}", borough)

    def _inward(self, used: set[str]) -> str:
        rng, letters = self.rng, INWARD_LETTERS
        while True:
            inward = (
                f"{int(rng.random() * 10)}"
                f"{letters[int(rng.random() * 20)]}{letters[int(rng.random() * 20)]}"
            )
            if inward not in used or len(used) >= 4000:
                return inward


class _Population:
    """Makes households one at a time; deterministic for the Random it is given."""

    def __init__(
        self, rng: Random, *, as_of: date, moved_rate: float, moved_other: float,
        known_postcodes: dict[str, list[str]] | None = None,
        boroughs: Sequence[str] | None = None,
    ):  # fmt: skip
        self.rng = rng
        self.as_of = as_of
        self.moved_rate = moved_rate
        self.moved_other = moved_other
        self.numbers = _Numbers(rng)
        self.addresses = _Addresses(rng, known_postcodes, boroughs)
        shares = {origin.key: origin.london_share for origin in ORIGINS}
        self.origin_pools = {
            gss: _Pool(
                (key, share * BOROUGH_ORIGIN_BOOST.get(gss, {}).get(key, 1.0))
                for key, share in shares.items()
            )
            for gss in BOROUGHS
        }
        self.child_counts = _Pool(
            ((0, 0.22), (1, 0.27), (2, 0.26), (3, 0.14), (4, 0.07), (5, 0.04))
        )

    # -- pieces --

    def _dob(self, age: int, ref: date) -> date:
        days = int(self.rng.random() * 365)
        try:
            birthday = ref.replace(year=ref.year - age)
        except ValueError:  # 29 February
            birthday = ref.replace(year=ref.year - age, day=28)
        return birthday - timedelta(days=days)

    def _surname(self, origin: str, sex: str) -> str:
        rng = self.rng
        pools = NAME_POOLS[origin]
        if sex == FEMALE and pools["female_surname"] is not None and rng.random() < 0.3:
            return pools["female_surname"].pick(rng)
        surname = pools["surname"].pick(rng)
        if origin == "portuguese" and rng.random() < 0.4:
            other = pools["surname"].pick(rng)
            if other != surname:
                surname = f"{surname} {other}"
        elif origin == "british" and rng.random() < 0.02:
            other = pools["surname"].pick(rng)
            if other != surname:
                surname = f"{surname}-{other}"
        return _gendered(surname, origin, sex)

    def _person(self, hid, role, origin, sex, age, surname, *, ethnicity=None) -> Person:
        rng = self.rng
        pools = NAME_POOLS[origin]
        key = ethnicity or pools["ethnicity"].pick(rng)
        group, _category = ETHNICITIES_19[key]
        given = pools[sex].pick(rng)
        if role == "child" and origin not in ("british", "caribbean") and rng.random() < 0.12:
            given = NAME_POOLS["british"][sex].pick(rng)
        person = Person(
            entity_id=self.numbers.entity_id(),
            household_id=hid,
            role=role,
            given_name=given,
            surname=_gendered(surname, origin, sex),
            date_of_birth=self._dob(age, self.as_of),
            sex=sex,
            ethnicity=ethnicity_label(key),
            ethnic_group=group,
        )
        if rng.random() < (0.9 if role == "child" else 0.4):
            person.nhs_number = self.numbers.nhs_number()
        if role == "child":
            history = 0.08 if age >= 14 else (0.02 if age >= 10 else 0.0)
        else:
            history = 0.2 if sex == MALE else 0.07
        if history and rng.random() < history:
            first = person.date_of_birth.year + 10 + int(rng.random() * max(1, age - 9))
            person.pnc_id = self.numbers.pnc_id(min(first, self.as_of.year))
        return person

    # -- a household --

    def household(self) -> Household:
        rng = self.rng
        hid = self.numbers.household_id()
        home = self.addresses.new()
        origin = self.origin_pools[home.borough].pick(rng)
        other_origin = origin
        if rng.random() < 0.1:
            other_origin = self.origin_pools[home.borough].pick(rng)
        n_children = self.child_counts.pick(rng)

        # Children's ages: the youngest first, older siblings spaced 1 to 4 years (sometimes
        # barely a year) apart, twins at the same age.
        ages: list[int] = []
        twins: list[int] = []  # indices of the second twin of each pair
        age = int(rng.random() * 18)
        while len(ages) < n_children and age <= 17:
            ages.append(age)
            if len(ages) < n_children and rng.random() < 0.04:
                twins.append(len(ages))
                ages.append(age)
            age += 1 + int(rng.random() * 4) if rng.random() < 0.8 else 1
        if ages:
            # At least 17 at the first birth and at most 45 at the last.
            low, high = max(ages) + 17, min(ages) + 45
            mother_age = low + int(rng.random() * rng.random() * max(1, high - low + 1))
        else:
            mother_age = 18 + int(rng.random() * 55)

        lone = n_children > 0 and rng.random() < 0.28
        single_adult = lone or (n_children == 0 and rng.random() < 0.35)
        first_sex = MALE if (single_adult and rng.random() < 0.1) else FEMALE
        partner_sex = MALE if first_sex == FEMALE else FEMALE
        if not single_adult and rng.random() < 0.02:
            partner_sex = first_sex

        father_surname = self._surname(other_origin, MALE)
        first_surname = self._surname(origin, first_sex)
        if not single_adult and rng.random() < 0.65:
            first_surname = _gendered(father_surname, other_origin, first_sex)
        carer = n_children > 0 and rng.random() < 0.04
        adults = [
            self._person(hid, "carer" if carer else "parent", origin, first_sex,
                         mother_age + (15 + int(rng.random() * 10) if carer else 0),
                         first_surname)
        ]  # fmt: skip
        if not single_adult:
            partner_age = max(18, mother_age + int(rng.random() * 9) - 2)
            adults.append(
                self._person(hid, "parent", other_origin, partner_sex, partner_age, father_surname)
            )
        if rng.random() < 0.07:
            adults.append(
                self._person(hid, "grandparent", origin, FEMALE if rng.random() < 0.7 else MALE,
                             min(mother_age + 20 + int(rng.random() * 12), 95), first_surname)
            )  # fmt: skip

        former = None
        former_home = None
        children_surname = father_surname if not single_adult else first_surname
        if lone and rng.random() < 0.7:
            former = self._person(hid, "former_partner", other_origin, MALE,
                                  max(18, mother_age + int(rng.random() * 9) - 2),
                                  self._surname(other_origin, MALE))  # fmt: skip
            former_home = self.addresses.new(home.borough if rng.random() < 0.6 else None)
            if rng.random() < 0.6:
                children_surname = former.surname
        combined = ""
        if adults[0].surname != children_surname and rng.random() < 0.15:
            combined = f"{adults[0].surname}-{children_surname}"

        children: list[Person] = []
        child_origin = origin
        ethnicity = None
        if other_origin != origin:
            ethnicity = _mixed(origin, other_origin)
        for index, child_age in enumerate(ages):
            sex = FEMALE if rng.random() < 0.49 else MALE
            surname = combined or children_surname
            if index in twins:
                first = children[-1]
                if rng.random() < 0.65:
                    sex = first.sex
                child = self._person(hid, "child", child_origin, sex, child_age, surname,
                                     ethnicity=ethnicity)  # fmt: skip
                for _ in range(20):
                    if child.given_name != first.given_name:
                        break
                    child.given_name = NAME_POOLS[child_origin][sex].pick(rng)
                child.date_of_birth = first.date_of_birth
                child.twin_of = first.entity_id
                first.twin_of = child.entity_id
            else:
                if other_origin != origin and rng.random() < 0.5:
                    child_origin = other_origin
                child = self._person(hid, "child", child_origin, sex, child_age, surname,
                                     ethnicity=ethnicity)  # fmt: skip
                child_origin = origin
                parent = next((a for a in adults if a.sex == sex and a.role == "parent"), None)
                if parent is not None and rng.random() < 0.04:
                    child.given_name = parent.given_name
                    child.junior_of = parent.entity_id
            children.append(child)

        household = Household(hid, home, adults, children, former_partner=former,
                              former_partner_home=former_home)  # fmt: skip
        if rng.random() < self.moved_rate:
            same = rng.random() >= self.moved_other
            household.moved_to = self.addresses.new(home.borough if same else None)
            household.moved_on = self.as_of - timedelta(days=30 + int(rng.random() * 700))
        return household


_POLISH_ENDINGS = (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka"))


def _gendered(surname: str, origin: str, sex: str) -> str:
    """Polish surnames ending -ski/-cki take -ska/-cka for women and girls."""
    if origin != "polish":
        return surname
    for masculine, feminine in _POLISH_ENDINGS:
        if sex == FEMALE and surname.endswith(masculine):
            return surname[: -len(masculine)] + feminine
        if sex == MALE and surname.endswith(feminine):
            return surname[: -len(feminine)] + masculine
    return surname


_BLACK_ORIGINS = {"nigerian", "ghanaian", "somali"}
_ASIAN_ORIGINS = {"bangladeshi", "pakistani", "indian"}
_WHITE_ORIGINS = {"british", "irish", "polish", "romanian", "portuguese"}


def _mixed(a: str, b: str) -> str:
    pair = {a, b}
    if pair & _WHITE_ORIGINS:
        if "caribbean" in pair:
            return "white_black_caribbean"
        if pair & _BLACK_ORIGINS:
            return "white_black_african"
        if pair & _ASIAN_ORIGINS:
            return "white_asian"
    if pair <= _WHITE_ORIGINS:
        return "white_british" if "british" in pair else "other_white"
    return "other_mixed"


def households(
    n_persons: int, *, seed: int, as_of: date = date(2026, 1, 1), moved_rate: float = 0.08
) -> Iterator[Household]:
    """The true population: households until at least `n_persons` people (adults, children
    and former partners) exist. Children are 0 to 17 on `as_of`."""
    rng = Random(seed)
    population = _Population(rng, as_of=as_of, moved_rate=moved_rate, moved_other=0.4)
    made = 0
    while made < n_persons:
        household = population.household()
        made += len(household.adults) + len(household.children) + bool(household.former_partner)
        yield household


# --------------------------------------------------------------------------------------------
# Mentions: a person as one record describes them
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class RecordedPerson:
    given_name: str
    surname: str
    date_of_birth: str  # ISO, partial ("2016") or ""
    age: int | None
    sex: str
    address: str
    postcode: str
    nhs_number: str
    pnc_id: str
    errors: list[str] = field(default_factory=list)


def _mention(person: Person, where: Address, rng: Random, rates: dict, *,
             on: date, allow_age: bool) -> RecordedPerson:  # fmt: skip
    errors: list[str] = []
    given, surname = person.given_name, person.surname

    if rng.random() < rates["nickname"]:
        forms = NICKNAMES.get(given)
        if forms:
            given = forms[int(rng.random() * len(forms))]
            errors.append("nickname")
    if rng.random() < rates["transliteration"]:
        options = [(0, v) for v in VARIANTS.get(given, ())]
        options += [(1, v) for v in VARIANTS.get(surname, ())]
        if options:
            which, spelling = options[int(rng.random() * len(options))]
            if which == 0:
                given = spelling
            else:
                surname = spelling
            errors.append("transliteration")
    if rng.random() < rates["surname_part"]:
        for sep in ("-", " "):
            if sep in surname:
                parts = surname.split(sep)
                surname = parts[0] if rng.random() < 0.5 else parts[-1]
                errors.append("surname_part")
                break
    if rng.random() < rates["typo"]:
        if rng.random() < 0.5:
            given = typo(given, rng)
        else:
            surname = typo(surname, rng)
        errors.append("typo")
    if rng.random() < rates["name_swap"]:
        given, surname = surname, given
        errors.append("name_swap")

    dob = person.date_of_birth
    dob_text = dob.isoformat()
    age = None
    roll = rng.random()
    for key in _DOB_ERRORS:
        roll -= rates[key]
        if roll >= 0:
            continue
        if key == "dob_day_month_swap":
            if dob.day <= 12 and dob.day != dob.month:
                dob_text = date(dob.year, dob.day, dob.month).isoformat()
                errors.append(key)
        elif key == "dob_digit":
            dob_text = _dob_digit(dob, rng).isoformat()
            errors.append(key)
        elif key == "dob_year_only":
            dob_text = str(dob.year)
            errors.append(key)
        elif key == "dob_missing":
            dob_text = ""
            errors.append(key)
        elif allow_age:
            dob_text = ""
            age = person.age_on(on)
            errors.append(key)
        break

    sex = person.sex
    if rng.random() < rates["sex_unknown"]:
        sex = UNKNOWN
        errors.append("sex_unknown")
    address, postcode = where.address, where.postcode
    if rng.random() < rates["address_missing"]:
        address = postcode = ""
        errors.append("address_missing")
    nhs = person.nhs_number
    if nhs and rng.random() < rates["nhs_missing"]:
        nhs = ""
        errors.append("nhs_missing")
    pnc = person.pnc_id
    if pnc and rng.random() < rates["pnc_missing"]:
        pnc = ""
        errors.append("pnc_missing")
    return RecordedPerson(given, surname, dob_text, age, sex, address, postcode, nhs, pnc, errors)


PERSON_COLUMNS = (
    "record_id",
    "entity_id",
    "given_name",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "pnc_id",
)


def person_records(
    n_persons: int,
    *,
    seed: int,
    mentions_per_person: float = 2.0,
    error_rates: dict[str, float] | None = None,
    as_of: date = date(2026, 1, 1),
    shuffle_window: int = 50_000,
    with_errors: bool = False,
) -> Iterator[dict[str, str]]:
    """Records of `n_persons` true people, about `mentions_per_person` records each (at least
    one; the number per person is geometric, so a few people have many records).

    Rows have PERSON_COLUMNS; `entity_id` is the truth. `record_id` ("R00000001") is given in
    output order, and rows are shuffled within a window of `shuffle_window` rows so that one
    person's records are not side by side. With `with_errors`, each row also has `errors`: the
    recording errors applied, joined by ";". Rates are DEFAULT_ERROR_RATES updated by
    `error_rates`; "dob_age" does not apply here (there is no age column). A moved household's
    records show the old or the new address at random.
    """
    if mentions_per_person < 1:
        raise ValueError("mentions_per_person must be at least 1")
    rates = _rates(error_rates)
    rng = Random(seed)
    population = _Population(
        rng, as_of=as_of, moved_rate=rates["moved"], moved_other=rates["moved_other_borough"]
    )
    extra_p = 1.0 / mentions_per_person  # geometric: mean extra records = mentions - 1
    log_q = math.log(1.0 - extra_p) if extra_p < 1 else None
    buffer: list[dict[str, str]] = []
    emitted = 0
    made = 0

    def emit(row):
        nonlocal emitted
        emitted += 1
        row["record_id"] = f"R{emitted:08d}"
        return row

    while made < n_persons:
        household = population.household()
        people = [(p, household.home) for p in household.people]
        if household.former_partner is not None:
            people.append((household.former_partner, household.former_partner_home))
        for person, home in people:
            if made >= n_persons:
                break
            made += 1
            count = 1
            if log_q is not None:
                count += int(math.log(1.0 - rng.random()) / log_q)
            for _ in range(count):
                where = home
                if household.moved_to is not None and person.role != "former_partner":
                    where = household.moved_to if rng.random() < 0.5 else household.home
                m = _mention(person, where, rng, rates, on=as_of, allow_age=False)
                row = {
                    "record_id": "",
                    "entity_id": person.entity_id,
                    "given_name": m.given_name,
                    "surname": m.surname,
                    "date_of_birth": m.date_of_birth,
                    "sex": m.sex,
                    "postcode": m.postcode,
                    "address": m.address,
                    "nhs_number": m.nhs_number,
                    "pnc_id": m.pnc_id,
                }
                if with_errors:
                    row["errors"] = ";".join(m.errors)
                if len(buffer) < shuffle_window:
                    buffer.append(row)
                else:
                    j = int(rng.random() * shuffle_window)
                    buffer[j], row = row, buffer[j]
                    yield emit(row)
    rng.shuffle(buffer)
    for row in buffer:
        yield emit(row)


def write_person_csv(path: str | Path, n_persons: int, *, seed: int, **options) -> int:
    """Write `person_records(n_persons, seed=seed, **options)` to a CSV; returns the row count."""
    columns = list(PERSON_COLUMNS) + (["errors"] if options.get("with_errors") else [])
    count = 0
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in person_records(n_persons, seed=seed, **options):
            writer.writerow(row)
            count += 1
    return count


# --------------------------------------------------------------------------------------------
# Incidents
# --------------------------------------------------------------------------------------------

KINDS = (
    "domestic_abuse_incident",
    "domestic_abuse_crime",
    "missing_person",
    "stop_and_search",
    "strip_search",
    "arrest_and_custody",
    "sexual_offence",
    "violence",
    "online_harm",
    "exploitation_concern",
    "other",
)
ROLES = (
    "victim",
    "suspect",
    "witness",
    "present",
    "child_in_household",
    "parent_or_carer",
    "reporting_person",
    "missing_person",
    "person_searched",
    "arrested_person",
)
# Share of incidents that lead to child notices, by kind.
KIND_SHARES = (
    ("domestic_abuse_incident", 0.33),
    ("domestic_abuse_crime", 0.22),
    ("missing_person", 0.14),
    ("stop_and_search", 0.07),
    ("arrest_and_custody", 0.06),
    ("violence", 0.06),
    ("sexual_offence", 0.03),
    ("online_harm", 0.03),
    ("exploitation_concern", 0.03),
    ("strip_search", 0.005),
    ("other", 0.025),
)
DASH_QUESTIONS = 27
DEFAULT_SCHOOL_URNS = tuple(range(900001, 900401))  # the demo directory's synthetic URNs

_HOURS_EVENING = _Pool((h, (1 + 3 * (h >= 17 or h <= 1) + 1 * (12 <= h < 17))) for h in range(24))
_HOURS_DAY = _Pool((h, (1 + 3 * (10 <= h <= 22))) for h in range(24))
_OFFICER_RANKS = _Pool((("PC", 8), ("DC", 2), ("PS", 1), ("DS", 0.5)))
_COMMAND_UNITS = ("CE", "CN", "CW", "EA", "NA", "NE", "NW", "SE", "SN", "SW", "WA", "AS", "AW")

_WHERE_PRESENT = (
    "In the same room",
    "In the living room",
    "In the kitchen",
    "In the bedroom",
    "On the stairs",
    "In the hallway",
    "Woken by the noise",
    "Holding the younger children",
)
_WHERE_ABSENT = ("At school", "At a friend's house", "Staying with grandparents", "At nursery",
                 "Asleep upstairs", "Out with friends")  # fmt: skip
_VOICES = (
    "Said {they} hid under the bed when the shouting started",
    "Said {they} wanted the shouting to stop",
    "Said {they} called the police",
    "Said {they} was scared for mum",
    "Said it happens a lot",
    "Said {they} did not want to talk",
    "Said {they} felt safe now the police were here",
    "Said {they} tried to stop it",
    "Said {they} does not sleep well",
    "Asked if dad was going to prison",
)
# Domestic abuse narratives by who the suspect is; {partner} is "partner" or "ex-partner".
_DA_NARRATIVES = {
    "partner": (
        "Police called by a neighbour who heard shouting and banging. The victim said the suspect "
        "pushed them against the wall during an argument about money.",
        "Police called to a verbal argument between partners. No injuries seen. Both said it had "
        "calmed down.",
        "The victim said the suspect grabbed them by the throat after drinking. Redness seen on "
        "the neck. Suspect arrested at the scene.",
        "A child called 999 saying their parents were fighting. Officers found the front door "
        "damaged.",
        "Ongoing controlling behaviour: the victim said the suspect checks their phone, keeps "
        "their bank card and stops them seeing family.",
        "The victim said the suspect threw a plate at them while the children were in the kitchen.",
    ),
    "ex-partner": (
        "The victim called 999 saying their ex-partner had come to the address and would not "
        "leave. The suspect had gone by the time officers arrived.",
        "The victim reported threatening messages from their ex-partner, including threats to "
        "take the children.",
        "The ex-partner turned up at the address drunk, shouting and kicking the door. Arrested "
        "for breaching a non-molestation order.",
    ),
    "child": (
        "A parent called police after their teenage child smashed a window and threatened them "
        "during an argument.",
        "Ongoing violence from a teenage child towards a parent. Police called after the parent "
        "was pushed down the stairs.",
    ),
}
_OTHER_NARRATIVES = {
    "missing_person": (
        "Parent reported the child missing after they did not come home from school.",
        "Child missing overnight from home. Found the next morning at a friend's address.",
        "Carer reported the child missing from their placement. Known to go missing often.",
        "Child missing for two days. Located in another borough with older males.",
    ),
    "stop_and_search": (
        "Stopped and searched on suspicion of carrying drugs. Nothing found.",
        "Stopped and searched for a weapon after a call about a group of youths. Nothing found.",
        "Stopped and searched. Small amount of cannabis found and seized.",
    ),
    "strip_search": (
        "Taken into custody and strip searched (more thorough search) on suspicion of concealing "
        "drugs. An appropriate adult was present.",
        "Strip searched at the police station. Nothing found.",
    ),
    "arrest_and_custody": (
        "Arrested for robbery of a mobile phone. Held in custody and interviewed with an "
        "appropriate adult.",
        "Arrested for possession of a knife. Released under investigation.",
        "Arrested for criminal damage. Parent attended as appropriate adult.",
    ),
    "sexual_offence": (
        "Child disclosed to a teacher that an older person touched them. Referred to police.",
        "Report of indecent images shared of the child without consent.",
    ),
    "violence": (
        "Child assaulted by a group near the bus station. Minor injuries.",
        "Fight outside school. Child punched in the face.",
        "Child threatened with a knife and had their phone taken.",
    ),
    "online_harm": (
        "Parent found messages from an unknown adult asking the child for pictures.",
        "Child being bullied and threatened on social media.",
    ),
    "exploitation_concern": (
        "Child found in another town with cash and two phones. Concern about county lines.",
        "School raised concern that the child has new clothes and money and is seen with older "
        "males.",
    ),
    "other": (
        "Welfare check at the address after a call from a relative.",
        "Child found alone at a bus stop late at night and taken home.",
    ),
}


@dataclass(slots=True)
class _Officer:
    name: str
    collar_number: str
    email: str


class _IncidentMaker:
    def __init__(
        self, rng, *, n_households, as_of, start, end, rates, school_urns, postcodes=None,
        boroughs=None,
    ):  # fmt: skip
        self.rng = rng
        self.rates = rates
        self.start, self.end = start, end
        self.school_urns = tuple(school_urns)
        population = _Population(
            rng,
            as_of=as_of,
            moved_rate=rates["moved"],
            moved_other=rates["moved_other_borough"],
            known_postcodes=postcodes,
            boroughs=boroughs,
        )
        self.households = [population.household() for _ in range(n_households)]
        self.family = [h for h in self.households if h.children]
        self.with_teen = [h for h in self.family if any(c.age_on(start) >= 9 for c in h.children)]
        self.next_family = 0
        self.next_teen = 0
        self.da_history: list[Household] = []  # one entry per DA incident: repeats are likely
        self.missing_history: list[tuple[Household, Person]] = []
        self.youth_history: list[tuple[Household, Person]] = []
        self.dash_risk: dict[str, float] = {}
        self.schools: dict[str, int] = {}
        self.officers = [self._officer() for _ in range(max(20, n_households // 50))]
        self.kinds = _Pool(KIND_SHARES)
        self.sequence = 0

    def _officer(self) -> _Officer:
        rng = self.rng
        given = NAME_POOLS[_pick_origin(rng)][MALE if rng.random() < 0.6 else FEMALE].pick(rng)
        surname = NAME_POOLS[_pick_origin(rng)]["surname"].pick(rng)
        rank = _OFFICER_RANKS.pick(rng)
        collar = f"{int(rng.random() * 9000) + 100}{rng.choice(_COMMAND_UNITS)}"
        email = f"{_plain(given).lower()}.{_plain(surname).lower().replace(' ', '-')}"
        email = "".join(c for c in email if c.isalnum() or c in ".-")
        return _Officer(
            f"{rank} {given} {surname}", collar, f"{email}{collar[:2]}@example.police.uk"
        )

    # -- choosing who --

    def _family(self, pool_name: str) -> Household:
        pool = self.with_teen if pool_name == "teen" and self.with_teen else self.family
        attr = "next_family" if pool_name == "family" else "next_teen"
        index = getattr(self, attr)
        setattr(self, attr, index + 1)
        if index < len(pool):
            return pool[index]
        return pool[int(self.rng.random() * len(pool))]

    def _teen(self, on: date, *, repeat_rate: float, history) -> tuple[Household, Person]:
        rng = self.rng
        if history and rng.random() < repeat_rate:
            household, child = history[int(rng.random() * len(history))]
            if 10 <= child.age_on(on) <= 17:
                return household, child
        for _ in range(50):
            household = self._family("teen")
            teens = [c for c in household.children if 10 <= c.age_on(on) <= 17]
            if teens:
                return household, teens[int(rng.random() * len(teens))]
        household = self._family("family")
        return household, household.children[-1]

    # -- people in a payload --

    def _entry(self, person: Person, ref: str, role: str, household: Household | None,
               on: date, **extra) -> dict:  # fmt: skip
        rng = self.rng
        if household is None:
            where = Address("", "", "")
        elif person.role == "former_partner" and household.former_partner_home is not None:
            where = household.former_partner_home
        else:
            where = household.address_on(on)
        m = _mention(person, where, rng, self.rates, on=on, allow_age=True)
        entry = {
            "ref": ref,
            "role": role,
            "given_name": m.given_name,
            "surname": m.surname,
            "date_of_birth": m.date_of_birth,
            "sex": m.sex,
            "ethnicity": "" if rng.random() < self.rates["ethnicity_missing"] else person.ethnicity,
            "address": m.address,
            "postcode": m.postcode,
            "nhs_number": m.nhs_number,
            "pnc_id": m.pnc_id,
        }
        if m.age is not None:
            entry["age"] = m.age
        child = person.age_on(on) < 18
        if not m.date_of_birth and m.age is None and child and rng.random() < 0.6:
            entry["appears_under_18"] = True
        entry.update(extra)
        entry["_entity_id"] = person.entity_id
        return entry

    def _school(self, child: Person, on: date) -> int | None:
        if not self.school_urns or not 4 <= child.age_on(on) <= 17:
            return None
        if child.entity_id not in self.schools:
            self.schools[child.entity_id] = self.school_urns[
                int(self.rng.random() * len(self.school_urns))
            ]
        return self.schools[child.entity_id]

    def _child_entry(self, child, ref, role, household, on, *, present: bool | None) -> dict:
        rng = self.rng
        extra: dict = {}
        if present is not None:
            extra["present"] = present
            if present:
                extra["where_during_incident"] = _WHERE_PRESENT[
                    int(rng.random() * len(_WHERE_PRESENT))
                ]
                if child.age_on(on) >= 4 and rng.random() < 0.3:
                    voice = _VOICES[int(rng.random() * len(_VOICES))]
                    they = {MALE: "he", FEMALE: "she"}.get(child.sex, "they")
                    voice = voice.format(they=they)
                    extra["voice"] = voice.replace("they was", "they were")
            elif rng.random() < 0.5:
                extra["where_during_incident"] = _WHERE_ABSENT[
                    int(rng.random() * len(_WHERE_ABSENT))
                ]
        urn = self._school(child, on)
        if urn is not None and rng.random() < 0.85:
            extra["school_urn"] = urn
        return self._entry(child, ref, role, household, on, **extra)

    # -- a payload --

    def _when(self, kind: str) -> tuple[datetime, datetime]:
        rng = self.rng
        days = (self.end - self.start).days
        day = self.start + timedelta(days=int(rng.random() * days))
        hours = _HOURS_EVENING if kind.startswith("domestic") else _HOURS_DAY
        local = datetime.combine(day, time(hours.pick(rng), int(rng.random() * 60)), LONDON)
        if kind == "missing_person":
            delay = timedelta(minutes=60 + int(rng.random() * 900))
        else:
            delay = timedelta(minutes=3 + int(rng.random() * 90))
        return local, local + delay

    def _reference(self, occurred: datetime) -> tuple[str, str]:
        self.sequence += 1
        if self.rng.random() < 0.55:
            return "CONNECT", f"CON-{occurred.year}-{self.sequence:08d}"
        return "NICHE", f"CAD-{occurred.year}-{self.sequence:07d}"

    def incident(self) -> dict:
        rng = self.rng
        kind = self.kinds.pick(rng)
        occurred, reported = self._when(kind)
        on = occurred.date()
        system, reference = self._reference(occurred)
        if kind.startswith("domestic"):
            household, people, questionnaires, location, suspect_kind = self._domestic(on)
            options = _DA_NARRATIVES[suspect_kind]
            narrative = options[int(rng.random() * len(options))]
        else:
            household, people, location = self._child_centred(kind, on)
            questionnaires = []
            options = _OTHER_NARRATIVES[kind]
            narrative = options[int(rng.random() * len(options))]
        officer = self.officers[int(rng.random() * len(self.officers))]
        return {
            "source_system": system,
            "source_reference": reference,
            "kind": kind,
            "occurred_at": occurred.isoformat(),
            "reported_at": reported.isoformat(),
            "location": {"address": location.address, "postcode": location.postcode},
            "narrative": narrative,
            "officer": {
                "name": officer.name,
                "collar_number": officer.collar_number,
                "email": officer.email,
            },
            "people": people,
            "questionnaires": questionnaires,
        }

    def _domestic(self, on: date):
        rng = self.rng
        if self.da_history and rng.random() < 0.35:
            household = self.da_history[int(rng.random() * len(self.da_history))]
        else:
            household = self._family("family")
        self.da_history.append(household)
        adults = [a for a in household.adults if a.role in ("parent", "carer")]
        victim = next((a for a in adults if a.sex == FEMALE), adults[0])
        others = [a for a in adults if a is not victim]
        if others:
            suspect = others[0]
        elif household.former_partner is not None:
            suspect = household.former_partner
        else:
            suspect = None
        children = [c for c in household.children if c.date_of_birth <= on]
        teen_suspect = None
        if children and rng.random() < 0.04:
            teens = [c for c in children if 13 <= c.age_on(on) <= 17]
            if teens:
                teen_suspect = teens[-1]
        if rng.random() < 0.08 and suspect is not None and suspect.role == "parent":
            victim, suspect = suspect, victim  # the other partner is the victim (often male)
        people = [self._entry(victim, "P1", "victim", household, on)]
        if teen_suspect is not None:
            people.append(self._child_entry(teen_suspect, "P2", "suspect", household, on,
                                            present=None))  # fmt: skip
        elif suspect is not None:
            people.append(self._entry(suspect, "P2", "suspect", household, on))
        n = len(people)
        for child in children:
            if child is teen_suspect or child.age_on(on) > 17:
                continue
            n += 1
            present = rng.random() < 0.6
            role = "present" if present else "child_in_household"
            people.append(self._child_entry(child, f"P{n}", role, household, on, present=present))
        questionnaires = []
        if rng.random() < 0.85:
            questionnaires.append(self._dash(victim, "P1"))
        if teen_suspect is not None:
            suspect_kind = "child"
        elif suspect is None or suspect.role == "former_partner":
            suspect_kind = "ex-partner"
        else:
            suspect_kind = "partner"
        return household, people, questionnaires, household.address_on(on), suspect_kind

    def _dash(self, victim: Person, ref: str) -> dict:
        rng = self.rng
        risk = self.dash_risk.get(victim.entity_id)
        if risk is None:
            roll = rng.random()
            risk = (
                rng.random() * 9 if roll < 0.58 else
                6 + rng.random() * 8 if roll < 0.86 else 14 + rng.random() * 9
            )  # fmt: skip
        else:
            risk = min(26.0, risk + rng.random() * 2)  # repeat victims: often escalating
        self.dash_risk[victim.entity_id] = risk
        refused = rng.random() < 0.03
        yes_count = round(risk)
        yes = set(rng.sample(range(1, DASH_QUESTIONS + 1), min(yes_count, DASH_QUESTIONS)))
        answers = {}
        for q in range(1, DASH_QUESTIONS + 1):
            if refused:
                answers[f"q{q}"] = "not_known"
            elif q in yes:
                answers[f"q{q}"] = "yes"
            else:
                answers[f"q{q}"] = "not_known" if rng.random() < 0.08 else "no"
        count = 0 if refused else yes_count
        grade = "high" if count >= 14 else "medium" if count >= 10 else "standard"
        if rng.random() < 0.08:  # professional judgement raises the grade
            grade = {"standard": "medium", "medium": "high", "high": "high"}[grade]
        return {"kind": "dash", "respondent": ref, "answers": answers, "officer_grade": grade}

    def _child_centred(self, kind: str, on: date):
        rng = self.rng
        if kind == "missing_person":
            household, child = self._teen(on, repeat_rate=0.45, history=self.missing_history)
            self.missing_history.append((household, child))
            role = "missing_person"
        elif kind in ("stop_and_search", "strip_search", "arrest_and_custody",
                      "exploitation_concern"):  # fmt: skip
            household, child = self._teen(on, repeat_rate=0.3, history=self.youth_history)
            self.youth_history.append((household, child))
            role = {
                "stop_and_search": "person_searched",
                "strip_search": "person_searched",
                "arrest_and_custody": "arrested_person",
            }.get(kind, "victim")
        else:
            household = self._family("family")
            children = [c for c in household.children if c.date_of_birth <= on] or [
                max(household.children, key=lambda c: c.age_on(on))
            ]
            child = children[int(rng.random() * len(children))]
            role = "witness" if kind in ("violence", "other") and rng.random() < 0.2 else "victim"
        people = [self._child_entry(child, "P1", role, household, on, present=None)]
        carer = household.adults[0]
        if kind == "missing_person":
            people.append(self._entry(carer, "P2", "reporting_person", household, on))
        elif kind in ("arrest_and_custody", "strip_search", "sexual_offence",
                      "exploitation_concern") or rng.random() < 0.4:  # fmt: skip
            people.append(self._entry(carer, "P2", "parent_or_carer", household, on))
        if kind in ("violence", "sexual_offence") and rng.random() < 0.6:
            other = self.households[int(rng.random() * len(self.households))]
            pool = other.adults + [c for c in other.children if c.age_on(on) >= 12]
            suspect = pool[int(rng.random() * len(pool))]
            ref = f"P{len(people) + 1}"
            people.append(self._entry(suspect, ref, "suspect", other, on))
        if kind == "stop_and_search" and rng.random() < 0.3:
            _other_household, friend = self._teen(on, repeat_rate=0.5, history=self.youth_history)
            if friend is not child:
                ref = f"P{len(people) + 1}"
                people.append(self._child_entry(friend, ref, "person_searched", _other_household,
                                                on, present=None))  # fmt: skip
        home = household.address_on(on)
        if kind in ("missing_person", "online_harm", "other"):
            location = home
        else:
            near = self.households[int(rng.random() * len(self.households))].home
            street = near.address.split(", ")[-2].lstrip("0123456789 ")
            location = Address(f"{street}, London", near.postcode, near.borough)
        return household, people, location


def _pick_origin(rng: Random) -> str:
    return _ORIGIN_SHARES.pick(rng)


_ORIGIN_SHARES = _Pool((origin.key, origin.london_share) for origin in ORIGINS)


def incidents(
    n_incidents: int,
    *,
    seed: int,
    start: date = date(2025, 1, 1),
    end: date = date(2026, 1, 1),
    school_urns: Sequence[int] | None = None,
    error_rates: dict[str, float] | None = None,
    households_per_incident: float = 0.7,
    postcodes: Sequence[str] | None = None,
    boroughs: Sequence[str] | None = None,
) -> Iterator[dict]:
    """`n_incidents` payloads in the shape of docs/intake.md, occurring between `start` and
    `end` (dates in Europe/London; times carry their offset).

    Each person carries a hidden `_entity_id` (the truth). Intake ignores unknown keys that begin
    with an underscore, so payloads can be sent as they are. About `households_per_incident`
    distinct households are drawn on per incident: households, victims and missing children come
    back several times, each time recorded with fresh errors. `school_urns` is the pool children's
    schools are drawn from (default: the demo directory's URNs 900001 to 900400). `postcodes`,
    when given (the directory's), are used for new addresses where their district comes up, so
    incidents resolve to a ward and borough. `boroughs` (GSS codes) keeps new homes in those
    boroughs (people who move may still move elsewhere).
    """
    if end <= start:
        raise ValueError("end must be after start")
    if boroughs and set(boroughs) - set(BOROUGHS):
        raise ValueError(f"Unknown borough GSS codes: {sorted(set(boroughs) - set(BOROUGHS))}")
    rates = _rates(error_rates)
    rng = Random(seed)
    maker = _IncidentMaker(
        rng,
        n_households=max(50, int(n_incidents * households_per_incident)),
        as_of=end,
        start=start,
        end=end,
        rates=rates,
        school_urns=DEFAULT_SCHOOL_URNS if school_urns is None else school_urns,
        postcodes=_by_outward(postcodes),
        boroughs=boroughs,
    )
    for _ in range(n_incidents):
        yield maker.incident()


def _by_outward(postcodes: Sequence[str] | None) -> dict[str, list[str]] | None:
    if not postcodes:
        return None
    known: dict[str, list[str]] = {}
    for postcode in sorted(set(postcodes)):
        outward, _, inward = postcode.partition(" ")
        if inward:
            known.setdefault(outward, []).append(inward)
    return known
